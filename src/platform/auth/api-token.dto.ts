import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { ROLES, type Role } from './principal';

export class CreateApiTokenDto {
  @ApiProperty({ maxLength: 100, example: 'nightly export script' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'When the token stops working (in the future); none: it works until revoked',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string;
}

/** A token as listed: never the token itself. */
export class ApiTokenDoc {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  expiresAt!: string | null;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'Last request with the token (to the minute); null: never used',
  })
  lastUsedAt!: string | null;

  @ApiProperty({ description: 'Whether its expiry has passed (it gets 401)' })
  expired!: boolean;
}

export class CreatedApiTokenDoc extends ApiTokenDoc {
  @ApiProperty({ description: 'The token: shown only in this answer, never again' })
  token!: string;
}

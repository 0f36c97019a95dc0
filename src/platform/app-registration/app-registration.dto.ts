import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const TENANT = /^[A-Za-z0-9][A-Za-z0-9.-]{0,253}$/;

/** `PUT /api/settings/app-registration`. */
export class AppRegistrationDto {
  @ApiProperty({ description: 'Application (client) id of the Entra ID app registration (a GUID)' })
  @IsString()
  @Matches(GUID, { message: 'Application (client) id must be a GUID' })
  clientId!: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      'Directory (tenant) id or verified domain; empty: Sales accounts sign in at `organizations` and the tenant is the account’s',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null && v !== '')
  @IsString()
  @Matches(TENANT, { message: 'Tenant id must be a tenant id (a GUID) or a domain name' })
  tenantId?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      'Client secret (for application sign-ins). Absent: the stored one is kept while the client id and sign-in host stay the same; null: removed. Never returned.',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  clientSecret?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      'https://host[:port] of the sign-in host; empty: the Microsoft cloud of each server address',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null && v !== '')
  @IsString()
  @MaxLength(300)
  authorityHost?: string | null;
}

/** The installation's app registration as the API shows it: never the secret. */
export interface AppRegistrationView {
  configured: boolean;
  clientId: string | null;
  tenantId: string | null;
  authorityHost: string | null;
  clientSecretSet: boolean;
}

export class AppRegistrationDoc implements AppRegistrationView {
  @ApiProperty({ description: 'Whether an app registration is set' })
  configured!: boolean;

  @ApiProperty({ type: String, nullable: true })
  clientId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  tenantId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  authorityHost!: string | null;

  @ApiProperty({ description: 'Whether a client secret is stored (its value is never returned)' })
  clientSecretSet!: boolean;
}

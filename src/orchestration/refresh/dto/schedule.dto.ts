import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsString, MaxLength } from 'class-validator';

/** Body of `PUT /api/schedule`. */
export class ScheduleDto {
  @ApiProperty({ description: 'Off by default' })
  @IsBoolean()
  enabled!: boolean;

  @ApiProperty({
    example: '0 3 * * *',
    description:
      'Cron expression: 5 fields (minute hour day month weekday), or 6 with seconds first',
  })
  @IsString()
  @MaxLength(200)
  cron!: string;

  @ApiProperty({
    example: 'Europe/Berlin',
    description: 'IANA time zone the cron expression is read in',
  })
  @IsString()
  @MaxLength(100)
  timeZone!: string;
}

import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Length,
  MaxLength,
} from 'class-validator';
import { CHANNEL_TYPES, type ChannelType } from './notification-channel.entity';
import { NOTIFICATION_EVENTS, type NotificationEventType } from './notification-events';

/** A single address is taken as a list of one. */
const toList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? [value] : value;

export class CreateNotificationChannelDto {
  @ApiProperty({ enum: CHANNEL_TYPES, example: 'webhook' })
  @IsIn([...CHANNEL_TYPES])
  type!: ChannelType;

  @ApiPropertyOptional({
    description: "Shown in lists; default: the webhook's host or the first address",
    example: 'Ops webhook',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({
    description:
      'Webhook only (required): an https:// URL (http:// only for hosts in NOTIFY_ALLOWED_HOSTS). Hosts resolving to loopback, private or link-local addresses are refused unless allow-listed.',
    example: 'https://hooks.example.com/audience-sync',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  url?: string;

  @ApiPropertyOptional({
    description:
      'Webhook only (required at creation): the HMAC-SHA256 signing secret, 16-500 characters. Stored encrypted, never returned (`secretSet` says whether one is stored); left out of an update, the stored one is kept.',
    writeOnly: true,
  })
  @IsOptional()
  @IsString()
  @Length(16, 500, { message: 'must be 16 to 500 characters long' })
  secret?: string;

  @ApiPropertyOptional({
    description: 'E-mail only (required): the addresses to write to (one string or a list)',
    type: [String],
    example: ['ops@example.com'],
  })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(20)
  @ArrayUnique({ message: 'must not list an address twice' })
  @IsEmail({}, { each: true, message: 'must list e-mail addresses (name@example.com)' })
  to?: string[];

  @ApiProperty({ enum: NOTIFICATION_EVENTS, isArray: true, example: ['run.failed', 'run.partial'] })
  @IsArray()
  @ArrayNotEmpty({ message: 'must name at least one event' })
  @ArrayUnique({ message: 'must not list an event twice' })
  @IsIn([...NOTIFICATION_EVENTS], {
    each: true,
    message: `must list events among ${NOTIFICATION_EVENTS.join(', ')}`,
  })
  events!: NotificationEventType[];
}

/** An update: properties left out keep their values; `type` cannot change. */
export class UpdateNotificationChannelDto extends PartialType(CreateNotificationChannelDto) {}

import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Audited, NotAudited } from '@platform/audit/audited.decorator';
import { Allow } from '@platform/auth/allow.decorator';
import { RunsQueryDto } from '@platform/http/runs-query.dto';
import { CreateNotificationChannelDto, UpdateNotificationChannelDto } from './notification.dto';
import type { DeliveryView, NotificationChannelView } from './notification.view';
import { DeliveryDoc, NotificationChannelDoc } from './notifications.api';
import { NotificationsService } from './notifications.service';

const EVENTS_TEXT =
  "Events: `run.failed`, `run.partial`, `run.held` (a segment waits for approval of its removals), `run.recovered` (the first success after a failed or partial run), `skipped.threshold` (skipped members above the destination's `skippedAlertPercent`).";

@ApiTags('notifications')
@Audited('notification-channel', {
  service: NotificationsService,
  load: (s, id) => s.get(id ?? ''),
})
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Post()
  @Allow('editor')
  @ApiOperation({
    summary: 'Create a notification channel (a webhook or e-mail)',
    description: `${EVENTS_TEXT} A webhook receives the event as JSON, signed with HMAC-SHA256 of the raw body with its secret in \`X-Audience-Sync-Signature: sha256=<hex>\`, with \`X-Audience-Sync-Event-Id\` and \`X-Audience-Sync-Timestamp\`; failed deliveries are retried with exponential backoff. Webhook hosts resolving to loopback, private or link-local addresses are refused unless named in NOTIFY_ALLOWED_HOSTS. E-mail needs SMTP_URL.`,
  })
  @ApiCreatedResponse({ type: NotificationChannelDoc })
  create(@Body() dto: CreateNotificationChannelDto): Promise<NotificationChannelView> {
    return this.notifications.create(dto);
  }

  @Get()
  @ApiOperation({ summary: 'Every notification channel (never a secret)' })
  @ApiOkResponse({ type: [NotificationChannelDoc] })
  list(): Promise<NotificationChannelView[]> {
    return this.notifications.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One notification channel' })
  @ApiOkResponse({ type: NotificationChannelDoc })
  get(@Param('id') id: string): Promise<NotificationChannelView> {
    return this.notifications.get(id);
  }

  @Put(':id')
  @Allow('editor')
  @ApiOperation({
    summary: 'Update a notification channel',
    description:
      'Properties left out keep their values; the type cannot change. A webhook whose address changes needs its secret again.',
  })
  @ApiOkResponse({ type: NotificationChannelDoc })
  update(
    @Param('id') id: string,
    @Body() dto: UpdateNotificationChannelDto,
  ): Promise<NotificationChannelView> {
    return this.notifications.update(id, dto);
  }

  @Delete(':id')
  @Allow('editor')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a notification channel and its delivery log' })
  @ApiNoContentResponse()
  remove(@Param('id') id: string): Promise<void> {
    return this.notifications.remove(id);
  }

  @Get(':id/deliveries')
  @ApiOperation({
    summary: "The channel's delivery log, newest first",
    description: 'Each delivery: status, attempts, last error, response code and times.',
  })
  @ApiOkResponse({ type: [DeliveryDoc] })
  deliveries(@Param('id') id: string, @Query() query: RunsQueryDto): Promise<DeliveryView[]> {
    return this.notifications.deliveries(id, query.limit ?? 50, query.cursor);
  }

  @Post(':id/test')
  @Allow('editor')
  @NotAudited()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Send a test event to the channel now',
    description:
      'Answers the delivery: `delivered`, or `pending` with the error (it is retried like any other).',
  })
  @ApiOkResponse({ type: DeliveryDoc })
  test(@Param('id') id: string): Promise<DeliveryView> {
    return this.notifications.test(id);
  }
}

import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ScheduleDto } from './dto/schedule.dto';
import { RefreshScheduleService, type RefreshScheduleView } from './refresh-schedule.service';
import { Allow } from '@platform/auth/allow.decorator';
import { Audited } from '@platform/audit/audited.decorator';

class LastScheduledRunDoc {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  status!: string;

  @ApiProperty()
  createdAt!: string;
}

class ScheduleViewDoc extends ScheduleDto implements RefreshScheduleView {
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Next scheduled refresh (null when disabled)',
  })
  nextRunAt!: string | null;

  @ApiProperty({ nullable: true, type: LastScheduledRunDoc })
  lastScheduledRun!: LastScheduledRunDoc | null;
}

@ApiTags('refresh')
@Audited('schedule', { service: RefreshScheduleService, load: (s) => s.get() })
@Controller('schedule')
export class ScheduleController {
  constructor(private readonly schedule: RefreshScheduleService) {}

  @Get()
  @ApiOperation({ summary: 'The refresh schedule (off by default) and when it runs next' })
  @ApiOkResponse({ type: ScheduleViewDoc })
  get(): Promise<RefreshScheduleView> {
    return this.schedule.get();
  }

  @Put()
  @Allow('editor')
  @ApiOperation({
    summary: 'Set the refresh schedule; applied at once and after restarts',
    description: 'An invalid cron expression or time zone answers 400 naming the field.',
  })
  @ApiOkResponse({ type: ScheduleViewDoc })
  update(@Body() body: ScheduleDto): Promise<RefreshScheduleView> {
    return this.schedule.update(body);
  }
}

import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '@platform/auth/allow.decorator';
import { AuditPageDoc } from './audit.api';
import { AuditLog, type AuditPage } from './audit-log.service';
import { AuditQueryDto } from './audit-query.dto';

/** Reads the audit log; no route changes or deletes an entry (retention purges old ones). */
@ApiTags('audit')
@Allow('admin')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  @Get()
  @ApiOperation({
    summary: 'The audit log, newest first',
    description:
      'Every change through the API (who, when, what, the entity before and after with secrets redacted) and sign-ins. Pages by `after` (the `next` of the previous page).',
  })
  @ApiOkResponse({ type: AuditPageDoc })
  list(@Query() query: AuditQueryDto): Promise<AuditPage> {
    return this.audit.page({
      actor: query.actor,
      entity: query.entity,
      entityId: query.entityId,
      limit: query.limit ?? 50,
      after: query.after,
    });
  }
}

import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { once } from 'node:events';
import Papa from 'papaparse';
import { AppError } from '@platform/errors/app-error';
import { ExportRunsService } from './export-runs.service';
import { MemberLogReader, type MemberLogItem } from './member-log-reader';
import { MemberLogPageDoc, MemberLogQueryDto } from './member-log.dto';

/** Rows read from the database per page while streaming CSV (memory stays flat). */
const CSV_PAGE = 5000;
const CSV_COLUMNS: (keyof MemberLogItem)[] = [
  'segmentId',
  'customerId',
  'contactId',
  'outcome',
  'reason',
];

@ApiTags('destinations')
@Controller('export-runs')
export class ExportRunMembersController {
  constructor(
    private readonly runs: ExportRunsService,
    private readonly reader: MemberLogReader,
  ) {}

  @Get(':id/members')
  @ApiOperation({
    summary: "Each member's outcome in an export run (the per-member log)",
    description:
      'Members added, removed, skipped (no contact id, not found in the target, invalid) or failed, with the reason in words, ordered by segment, contact id and customer id. Keyset pages: give `next` as `after`. With `Accept: text/csv` every matching member is streamed as CSV (`limit` and `after` do not apply). Logs are kept for MEMBER_LOG_RETENTION_DAYS (30 by default); older runs answer no members. 404 for an unknown run; 400 for a bad parameter or a segment not exported by the run.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: MemberLogPageDoc })
  async members(
    @Param('id') id: string,
    @Query() query: MemberLogQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const run = await this.runs.get(id);
    if (
      query.segmentId !== undefined &&
      !run.segments.some((s) => s.segmentId === query.segmentId)
    ) {
      throw AppError.validation('segmentId', `is not a segment of export run ${id}`);
    }
    const logs = await this.reader.logs(id, query.segmentId);
    const filter = {
      segmentId: query.segmentId,
      outcome: query.outcome,
      customerId: query.customerId,
      contactId: query.contactId,
    };
    if (!wantsCsv(accept)) {
      res.json(await this.reader.page(logs, filter, query.limit ?? 100, query.after));
      return;
    }
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="export-run-${id}-members.csv"`);
    res.write(`${CSV_COLUMNS.join(',')}\r\n`);
    for await (const items of this.reader.all(logs, filter, CSV_PAGE)) {
      if (res.destroyed) return;
      const csv = Papa.unparse(
        items.map((i) => CSV_COLUMNS.map((c) => i[c] ?? '')),
        { header: false, newline: '\r\n' },
      );
      if (!res.write(`${csv}\r\n`)) await once(res, 'drain');
    }
    res.end();
  }
}

/** CSV when the client prefers it to JSON (`Accept: text/csv`). */
function wantsCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(',').map((t) => t.split(';')[0].trim().toLowerCase());
  const csv = types.indexOf('text/csv');
  const json = types.indexOf('application/json');
  return csv !== -1 && (json === -1 || csv < json);
}

import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Req,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import type { Readable } from 'node:stream';
import type { IngestSummary } from './source.entity';
import { FILE_FIELD, uploadStream } from './csv/upload-body';
import { DataverseIngestSummaryDto, DataverseOptionsDto } from './dataverse/dataverse-options.dto';
import { SourceIngestService, type UploadResult } from './source-ingest.service';
import {
  CreateSourceDto,
  CsvOptionsDto,
  FieldMappingDto,
  RecordPageDto,
  RecordsQueryDto,
  SourceDto,
  UpdateSourceDto,
  AllowEmptyQueryDto,
  UploadResultDto,
  type RecordPage,
  type SourceView,
} from './sources.dto';
import { SourcesService } from './sources.service';
import { Allow } from '@platform/auth/allow.decorator';
import { Audited } from '@platform/audit/audited.decorator';

@ApiTags('sources')
@ApiExtraModels(FieldMappingDto, CsvOptionsDto, DataverseOptionsDto)
@Audited('source', { service: SourcesService, load: (s, id) => s.get(id ?? '') })
@Controller('sources')
export class SourcesController {
  constructor(
    private readonly sources: SourcesService,
    private readonly ingest: SourceIngestService,
  ) {}

  @Post()
  @Allow('editor')
  @ApiOperation({
    summary: 'Create a source',
    description:
      'Validated as a whole; a 400 names each wrong path (`mapping.email.type`, `options.delimiter`). 409 when the name is taken (names are unique ignoring case). A field mapped by several sources must have the same type in all (the 400 names the other source). The source starts empty: upload a file to fill it.',
  })
  @ApiCreatedResponse({ type: SourceDto })
  @ApiConflictResponse({ description: 'A source with this name exists' })
  create(@Body() body: CreateSourceDto): Promise<SourceView> {
    return this.sources.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'All sources, by name, with their record counts and last ingests' })
  @ApiOkResponse({ type: [SourceDto] })
  list(): Promise<SourceView[]> {
    return this.sources.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One source, with the figures of its last ingest' })
  @ApiOkResponse({ type: SourceDto })
  get(@Param('id') id: string): Promise<SourceView> {
    return this.sources.get(id);
  }

  @Get(':id/records')
  @ApiOperation({
    summary: 'The source’s current records, a page at a time, by key',
    description:
      'What the last successful ingest stored and unification reads: canonical field values, the raw unmapped columns and the last-modified time. Page with `after` = the previous page’s `next`.',
  })
  @ApiOkResponse({ type: RecordPageDto })
  records(@Param('id') id: string, @Query() query: RecordsQueryDto): Promise<RecordPage> {
    return this.sources.records(id, query.limit ?? 50, query.after);
  }

  @Put(':id')
  @Allow('editor')
  @ApiOperation({
    summary:
      'Change a source: rename it, change its primary key, mapping, last-modified column or options',
    description:
      'Properties left out keep their values; `type` cannot change. Validated like a new source. A changed mapping, primary key or option takes effect at the next upload: the stored records keep the values they were read with until then.',
  })
  @ApiOkResponse({ type: SourceDto })
  update(@Param('id') id: string, @Body() body: UpdateSourceDto): Promise<SourceView> {
    return this.sources.update(id, body);
  }

  @Delete(':id')
  @Allow('editor')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a source and its records',
    description:
      '409 while an ingest runs on it. Customers lose its records at the next unification.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  async remove(@Param('id') id: string): Promise<void> {
    await this.sources.remove(id);
  }

  @Post(':id/ingest')
  @Allow('operator')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Read a remote source now (dataverse), as every refresh does',
    description: [
      'Reads the table page by page (odata.maxpagesize, following @odata.nextLink). The first read is a full read that replaces the records when it completes; later reads use change tracking (the delta link kept from the previous read): new and changed rows are updated, deleted rows leave the source, all at once when the read completes.',
      'An expired or refused delta link, or a definition changed since the last read (mapping, columns, table, server), makes it a full read again; the answer says so (mode, fullReadReason).',
      'A read that fails (sign-in refused, Dataverse unreachable, a page failing midway) keeps the previous records and the previous delta link, records the failure as lastIngest and answers the error. 409 while another ingest of the source runs; 400 for an uploaded (csv) source.',
      'A full read that finds no records while the source has some is refused (400, the records kept): an empty answer is more often a wrong table, filter or privilege than an emptied table. `allowEmpty=true` accepts it and empties the source. Incremental reads apply the deletions Dataverse reports.',
    ].join('\n\n'),
  })
  @ApiOkResponse({ type: DataverseIngestSummaryDto })
  @ApiConflictResponse({ description: 'Another ingest of this source is running' })
  ingestNow(@Param('id') id: string, @Query() query: AllowEmptyQueryDto): Promise<IngestSummary> {
    return this.sources.ingest(id, { allowEmpty: query.allowEmpty === 'true' });
  }

  @Post(':id/upload')
  @Allow('editor')
  // The answer is the after: the handler reads the body itself, so nothing is loaded before it.
  @Audited('source', { action: 'upload' })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Upload a CSV file: it replaces the source’s records',
    description: [
      `The file as a multipart/form-data part named "${FILE_FIELD}", or as the raw body (text/csv). Streamed: any size, memory stays flat.`,
      'The first line is the header; the source’s options give delimiter, quote and encoding (UTF-8 with or without BOM by default). Quoted fields may hold delimiters, doubled quotes and line breaks. Blank lines are skipped.',
      'Rows that are wrong are rejected with their line (physical line, header = 1) and the rest is stored: wrong number of columns, empty primary key, duplicate primary key (the first row of a key is kept), a value that does not fit its field type. The answer lists the first 100.',
      'A row holding the NUL character (U+0000) is rejected with its line like any other bad row; a NUL in a header name refuses the file.',
      'The whole file is refused with 400 naming the line, and the source keeps its previous records untouched, when the header lacks the primary key, a mapped column or the last-modified column; when bytes are not valid in the declared encoding; when the file cannot be parsed (a quoted field never closed); when every row was rejected; or when the file has a header and no rows.',
      'A file that leaves no records (a header alone, or every row rejected) empties the source only with `allowEmpty=true`: it says the source is meant to be emptied.',
      'A client that goes away mid-body ends the upload at once: nothing is stored and the source is free for the next upload or delete.',
      'The new records replace the old ones atomically, only when the upload succeeds. 409 while another ingest of the source runs.',
    ].join('\n\n'),
  })
  @ApiConsumes('multipart/form-data', 'text/csv')
  @ApiBody({
    schema: {
      oneOf: [
        {
          type: 'object',
          properties: { [FILE_FIELD]: { type: 'string', format: 'binary' } },
          required: [FILE_FIELD],
        },
        { type: 'string', format: 'binary' },
      ],
    },
  })
  @ApiOkResponse({ type: UploadResultDto })
  @ApiConflictResponse({ description: 'Another ingest of this source is running' })
  async upload(
    @Param('id') id: string,
    @Query() query: AllowEmptyQueryDto,
    @Req() req: Request,
  ): Promise<UploadResult> {
    let input: Readable = req;
    try {
      await this.sources.find(id);
      input = await uploadStream(req);
      return await this.ingest.upload(id, input, { allowEmpty: query.allowEmpty === 'true' });
    } finally {
      // On an early answer, read and drop the rest of the body so the answer gets through.
      if (!input.readableEnded) input.resume();
    }
  }
}

import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Db } from '@platform/database/db.service';

@ApiTags('health')
@Controller('info')
export class InfoController {
  constructor(private readonly db: Db) {}

  @Get()
  @ApiOperation({ summary: 'What this instance runs on (checks the API token too)' })
  info() {
    return { name: 'audience-sync', version: '0.1.0', database: this.db.kind };
  }
}

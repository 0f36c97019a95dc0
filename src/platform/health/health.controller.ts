import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@platform/auth/public.decorator';
import { Db } from '@platform/database/db.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly db: Db) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Liveness and database state (no token needed)' })
  async health(@Res({ passthrough: true }) res: Response) {
    const started = performance.now();
    try {
      await this.db.query('SELECT 1 AS ok');
      return {
        status: 'ok',
        database: {
          status: 'up',
          type: this.db.kind,
          latencyMs: Math.round(performance.now() - started),
        },
      };
    } catch (error) {
      res.status(HttpStatus.SERVICE_UNAVAILABLE);
      return {
        status: 'error',
        database: { status: 'down', type: this.db.kind, error: (error as Error).message },
      };
    }
  }
}

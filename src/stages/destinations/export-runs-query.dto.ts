import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { RunsQueryDto } from '@platform/http/runs-query.dto';

export class ExportRunsQueryDto extends RunsQueryDto {
  @ApiPropertyOptional({ description: 'Only the export runs started by this refresh run' })
  @IsOptional()
  @IsString()
  @MaxLength(36)
  refreshRunId?: string;
}

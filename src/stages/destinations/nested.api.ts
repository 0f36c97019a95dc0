import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  EXPORT_RUN_STATUSES,
  EXPORT_TRIGGERS,
  type ExportRunStatus,
  type ExportTrigger,
} from './export-run-status';

/* OpenAPI descriptions of the parts inside destination and export-run answers, so the admin
   UI's generated types (libs/admin-ui/src/api/schema.d.ts) know their shape. */

export class SignedInUserDoc {
  @ApiProperty({ description: 'The account that signed in (its sign-in name, an e-mail)' })
  username!: string;

  @ApiPropertyOptional({ description: 'Its display name, when the directory gives one' })
  name?: string;

  @ApiPropertyOptional({
    description:
      'Its directory (tenant) id, learned at sign-in; used when the destination names no tenant',
  })
  tenantId?: string;
}

export class SignInViewDoc {
  @ApiProperty({ enum: ['pending', 'signed-in', 'failed', 'expired'] })
  status!: 'pending' | 'signed-in' | 'failed' | 'expired';

  @ApiProperty()
  startedAt!: string;

  @ApiPropertyOptional({ description: 'The code to enter, while pending' })
  userCode?: string;

  @ApiPropertyOptional()
  verificationUri?: string;

  @ApiPropertyOptional()
  expiresAt?: string;

  @ApiPropertyOptional({ type: SignedInUserDoc })
  user?: SignedInUserDoc;

  @ApiPropertyOptional()
  signedInAt?: string;

  @ApiPropertyOptional({ description: 'Why it failed' })
  message?: string;
}

export class LastRunTotalsDoc {
  @ApiProperty()
  members!: number;

  @ApiProperty()
  added!: number;

  @ApiProperty()
  removed!: number;

  @ApiProperty({ description: 'No key + not found + invalid' })
  skipped!: number;

  @ApiProperty()
  failed!: number;
}

export class DestinationLastRunDoc {
  @ApiProperty()
  id!: string;

  @ApiProperty({ enum: EXPORT_RUN_STATUSES })
  status!: ExportRunStatus;

  @ApiProperty({ enum: EXPORT_TRIGGERS })
  trigger!: ExportTrigger;

  @ApiProperty()
  createdAt!: string;

  @ApiProperty({ nullable: true, type: String })
  finishedAt!: string | null;

  @ApiProperty({ description: 'Sums over its segments' })
  totals!: LastRunTotalsDoc;

  @ApiProperty({ description: 'Segments held at the removal limit, not yet approved' })
  heldSegments!: number;
}

export class ExportTargetDoc {
  @ApiProperty({ description: 'Id of the list (or file) in the target' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiPropertyOptional({ description: 'Where to open it' })
  url?: string;
}

export class ProgressDoc {
  @ApiProperty()
  processed!: number;

  @ApiProperty()
  total!: number;
}

export class ExportRunTotalsDoc {
  @ApiProperty()
  members!: number;

  @ApiProperty()
  added!: number;

  @ApiProperty()
  removed!: number;

  @ApiProperty()
  skippedNoKey!: number;

  @ApiProperty()
  skippedNotFound!: number;

  @ApiProperty()
  skippedInvalid!: number;

  @ApiProperty()
  failed!: number;

  @ApiProperty()
  requests!: number;

  @ApiProperty()
  throttled!: number;
}

/** The removal guardrail in force (null: that limit is off). */
export class RemovalLimitViewDoc {
  @ApiProperty({ type: Number, nullable: true, example: 10 })
  percent!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 10000 })
  count!: number | null;

  @ApiProperty({ example: 10 })
  minimum!: number;
}

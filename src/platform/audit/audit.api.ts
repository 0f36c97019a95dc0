import { ApiProperty } from '@nestjs/swagger';
import type { AuditEntryView, AuditPage } from './audit-log.service';

/* OpenAPI descriptions of the audit answers (the service returns the interfaces). */

class AuditActorDoc {
  @ApiProperty({ enum: ['admin-token', 'api-token', 'user'] })
  kind!: string;

  @ApiProperty()
  id!: string;

  @ApiProperty()
  name!: string;
}

export class AuditEntryDoc implements AuditEntryView {
  @ApiProperty()
  id!: number;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ type: AuditActorDoc, nullable: true, description: 'null: nobody identified' })
  actor!: AuditActorDoc | null;

  @ApiProperty({ example: 'update' })
  action!: string;

  @ApiProperty({ example: 'destination' })
  entity!: string;

  @ApiProperty({ nullable: true, type: String })
  entityId!: string | null;

  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    description: 'The entity before, secrets redacted',
  })
  before!: unknown;

  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    description: 'The entity after, secrets redacted',
  })
  after!: unknown;

  @ApiProperty({ nullable: true, type: String })
  ip!: string | null;
}

export class AuditPageDoc implements AuditPage {
  @ApiProperty({ type: [AuditEntryDoc] })
  items!: AuditEntryDoc[];

  @ApiProperty({ nullable: true, type: String, description: 'Pass as `after` for older entries' })
  next!: string | null;
}

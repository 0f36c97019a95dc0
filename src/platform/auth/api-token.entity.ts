import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Role } from './principal';

/** A named API token: its SHA-256 only (see token-hash.ts); deleted when revoked. */
@Entity('api_token')
export class ApiToken {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 100, unique: true })
  name!: string;

  @Column({ type: 'varchar', length: 20 })
  role!: Role;

  @Column({ name: 'token_hash', type: 'varchar', length: 64, unique: true })
  tokenHash!: string;

  /** ISO-8601 UTC. */
  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt!: string;

  @Column({ name: 'expires_at', type: 'varchar', length: 30, nullable: true })
  expiresAt!: string | null;

  @Column({ name: 'last_used_at', type: 'varchar', length: 30, nullable: true })
  lastUsedAt!: string | null;
}

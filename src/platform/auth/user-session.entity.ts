import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Role } from './principal';

const epochMs = {
  to: (value: number) => value,
  // PostgreSQL answers bigint as text.
  from: (value: string | number) => Number(value),
};

/**
 * A person's session in the admin UI. The cookie carries a random id; only its SHA-256 is
 * stored, so the table does not hand out live sessions.
 */
@Entity('user_session')
export class UserSession {
  @PrimaryColumn({ name: 'id_hash', type: 'varchar', length: 64 })
  idHash!: string;

  /** The person's Entra ID object id. */
  @Column({ type: 'varchar', length: 64 })
  oid!: string;

  @Column({ type: 'varchar', length: 256 })
  name!: string;

  @Column({ type: 'varchar', length: 256 })
  username!: string;

  @Column({ type: 'varchar', length: 20 })
  role!: Role;

  /** Sent back in `X-CSRF-Token` on every state-changing request made with the cookie. */
  @Column({ name: 'csrf_token', type: 'varchar', length: 64 })
  csrfToken!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  /** Pushed forward by requests (sliding idle timeout). */
  @Column({ name: 'last_seen_at', type: 'bigint', transformer: epochMs })
  lastSeenAt!: number;
}

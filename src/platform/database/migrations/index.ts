import { AppSettings1764400000000 } from './1764400000000-app-settings';
import { SourcesAndCustomers1764400100000 } from './1764400100000-sources-and-customers';
import { SourceIngest1764400200000 } from './1764400200000-source-ingest';
import { Segments1764400400000 } from './1764400400000-segments';
import { RefreshRuns1764400410000 } from './1764400410000-refresh-runs';
import { Unification1764400300000 } from './1764400300000-unification';
import { Destinations1764400500000 } from './1764400500000-destinations';
import { UnificationState1765000200000 } from './1765000200000-unification-state';
import { RunLock1765000300000 } from './1765000300000-run-lock';
import { RemovalGuardrails1766200000000 } from './1766200000000-removal-guardrails';
import { ApiTokensAndAudit1766500000000 } from './1766500000000-api-tokens-and-audit';
import { UserSessions1766400000000 } from './1766400000000-user-sessions';
import { Notifications1766300000000 } from './1766300000000-notifications';
import { MemberLog1766100000000 } from './1766100000000-member-log';
import { MemberLogSettled1766900100000 } from './1766900100000-member-log-settled';

/** Every migration, oldest first. A new migration is appended here (timestamps order them). */
export const MIGRATIONS = [
  AppSettings1764400000000,
  SourcesAndCustomers1764400100000,
  Segments1764400400000,
  RefreshRuns1764400410000,
  Unification1764400300000,
  Destinations1764400500000,
  SourceIngest1764400200000,
  UnificationState1765000200000,
  RunLock1765000300000,
  RemovalGuardrails1766200000000,
  ApiTokensAndAudit1766500000000,
  UserSessions1766400000000,
  Notifications1766300000000,
  MemberLog1766100000000,
  MemberLogSettled1766900100000,
];

import type { Request } from 'express';
import type { UserSession } from './user-session.entity';

/** The session a request was authenticated with (set by the auth guard; people only). */
const sessions = new WeakMap<Request, UserSession>();

export function setSessionOf(req: Request, session: UserSession): void {
  sessions.set(req, session);
}

export function sessionOf(req: Request): UserSession | undefined {
  return sessions.get(req);
}

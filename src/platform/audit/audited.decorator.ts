import { SetMetadata, type Type } from '@nestjs/common';

export const AUDITED = 'audience-sync:audited';

/** How the audit log reads an entity before and after a change (through its service). */
export interface AuditLoader<T = unknown> {
  service: Type<T>;
  /** The entity as the API shows it; `id` is the route's `:id` (or the created entity's id). */
  load: (service: T, id: string | undefined) => Promise<unknown>;
}

export interface AuditSpec {
  entity: string;
  /** Default: `create` (POST to the collection), `update` (PUT), `delete`, else the route's last word (`cancel`, `approve`). */
  action?: string;
  loader?: AuditLoader;
  /** `false` on a handler of an audited controller that changes nothing (a preview, a test). */
  audited: boolean;
}

/**
 * Records every state-changing route (not GET) of a controller, or one handler, in the audit
 * log: who, the action, the entity and its id, and the entity before and after as `loader`
 * reads it (without a loader: the route's answer as the after). A handler's own `@Audited`
 * or {@link NotAudited} wins over its controller's.
 */
export function Audited<T>(
  entity: string,
  options: { action?: string } & Partial<AuditLoader<T>> = {},
) {
  const loader =
    options.service && options.load
      ? ({ service: options.service, load: options.load } as AuditLoader)
      : undefined;
  return SetMetadata<string, AuditSpec>(AUDITED, {
    entity,
    action: options.action,
    loader,
    audited: true,
  });
}

/** A POST of an audited controller that changes nothing (a preview, a connection test). */
export const NotAudited = () =>
  SetMetadata<string, AuditSpec>(AUDITED, { entity: '', audited: false });

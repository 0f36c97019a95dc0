import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { concatMap, from, type Observable } from 'rxjs';
import { AppError, ErrorCode } from '@platform/errors/app-error';
import { routeAction } from './audit-action';
import { AUDITED, type AuditLoader, type AuditSpec } from './audited.decorator';
import { AuditLog } from './audit-log.service';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Records the changes made through routes marked {@link Audited}: once the handler succeeded,
 * one entry with the principal, the action, the entity id (`:id`, or the id of what was
 * created) and the entity before and after as its loader reads it. Failed requests changed
 * nothing and are not recorded.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly moduleRef: ModuleRef,
    private readonly audit: AuditLog,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = context.switchToHttp().getRequest<Request>();
    const spec = this.reflector.getAllAndOverride<AuditSpec | undefined>(AUDITED, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!spec?.audited || READS.has(req.method)) return next.handle();
    const path = this.reflector.get<string | undefined>(PATH_METADATA, context.getHandler()) ?? '';
    const action = spec.action ?? routeAction(req.method, path);
    const params = req.params as Record<string, string | undefined>;
    const id = params.id;
    const load = spec.loader ? this.loaderOf(spec.loader) : undefined;
    const before = load && action !== 'create' ? await load(id) : undefined;
    return next.handle().pipe(
      concatMap((answer: unknown) =>
        from(
          (async (): Promise<unknown> => {
            const entityId = id ?? idOf(answer);
            let after: unknown = null;
            if (action !== 'delete') after = load ? await load(entityId) : answer;
            await this.audit.record({
              actor: req.principal ?? null,
              action,
              entity: spec.entity,
              entityId: entityId ?? null,
              before,
              after,
              ip: req.ip ?? null,
            });
            return answer;
          })(),
        ),
      ),
    );
  }

  /** Reads the entity through its service; null when it does not exist (before a create). */
  private loaderOf(loader: AuditLoader): (id: string | undefined) => Promise<unknown> {
    const service: unknown = this.moduleRef.get(loader.service, { strict: false });
    return async (id) => {
      try {
        return await loader.load(service, id);
      } catch (error) {
        if (error instanceof AppError && error.code === ErrorCode.NOT_FOUND) return null;
        throw error;
      }
    };
  }
}

function idOf(answer: unknown): string | undefined {
  const id = (answer as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

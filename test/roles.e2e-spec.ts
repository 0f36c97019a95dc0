import { METHOD_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ALLOW } from '@platform/auth/allow.decorator';
import type { Role } from '@platform/auth/principal';
import { IS_PUBLIC } from '@platform/auth/public.decorator';
import { mayAct } from '@platform/auth/role-policy';
import { closeAll } from './support/close-all';
import { roleClient } from './support/role-tokens';
import { startTestApp, type ApiClient, type TestApp } from './support/test-app';

/**
 * The least role of every route of the API, written out here from issue 17's table (not read
 * from the code): admin everything; editor sources, rules, segments, destinations, schedule and
 * runs; operator starts, cancels (and approves) runs and reads; viewer reads. A route missing
 * here fails the walk: each new route needs a decision.
 */
const LEAST: Record<string, Role | 'public'> = {
  'GET /health': 'public',
  'GET /api/info': 'viewer',
  'GET /api/me': 'viewer',
  'POST /api/tokens': 'admin',
  'GET /api/tokens': 'admin',
  'DELETE /api/tokens/{id}': 'admin',
  'GET /api/audit': 'admin',
  'POST /api/sources': 'editor',
  'GET /api/sources': 'viewer',
  'GET /api/sources/{id}': 'viewer',
  'GET /api/sources/{id}/records': 'viewer',
  'PUT /api/sources/{id}': 'editor',
  'DELETE /api/sources/{id}': 'editor',
  'POST /api/sources/{id}/ingest': 'operator',
  'POST /api/sources/{id}/upload': 'editor',
  'GET /api/customers': 'viewer',
  'GET /api/customers/fields': 'viewer',
  'GET /api/customers/{id}': 'viewer',
  'GET /api/unification': 'viewer',
  'PUT /api/unification': 'editor',
  'POST /api/unification/run': 'operator',
  'GET /api/unification/status': 'viewer',
  'POST /api/unification/cancel': 'operator',
  'POST /api/segments': 'editor',
  'GET /api/segments': 'viewer',
  'POST /api/segments/preview': 'viewer',
  'GET /api/segments/{id}': 'viewer',
  'PUT /api/segments/{id}': 'editor',
  'DELETE /api/segments/{id}': 'editor',
  'GET /api/segments/{id}/members': 'viewer',
  'POST /api/segments/{id}/evaluate': 'operator',
  'GET /api/schedule': 'viewer',
  'PUT /api/schedule': 'editor',
  'GET /api/settings/app-registration': 'viewer',
  'PUT /api/settings/app-registration': 'admin',
  'DELETE /api/settings/app-registration': 'admin',
  'POST /api/refresh': 'operator',
  'GET /api/refresh/runs': 'viewer',
  'GET /api/refresh/runs/{id}': 'viewer',
  'POST /api/refresh/runs/{id}/cancel': 'operator',
  'POST /api/destinations': 'editor',
  'GET /api/destinations': 'viewer',
  'GET /api/destinations/{id}': 'viewer',
  'PUT /api/destinations/{id}': 'editor',
  'DELETE /api/destinations/{id}': 'editor',
  'POST /api/destinations/{id}/test': 'editor',
  'POST /api/destinations/{id}/sign-in': 'editor',
  'POST /api/destinations/{id}/runs': 'operator',
  'GET /api/destinations/{id}/runs': 'viewer',
  'GET /api/export-runs': 'viewer',
  'GET /api/export-runs/{id}': 'viewer',
  'POST /api/export-runs/{id}/cancel': 'operator',
  'POST /api/export-runs/{id}/approve': 'operator',
  'GET /api/destination-types': 'viewer',
  'GET /auth/sign-in': 'public',
  'POST /auth/sign-out': 'public',
  'GET /api/auth/config': 'public',
  'GET /api/segment-operators': 'viewer',
  'GET /api/destinations/{id}/targets': 'viewer',
  'POST /api/destinations/{id}/dry-run': 'operator',
  'GET /api/export-runs/{id}/members': 'viewer',
  'GET /api/destinations/{id}/explain': 'viewer',
  'POST /api/notifications': 'editor',
  'GET /api/notifications': 'viewer',
  'GET /api/notifications/{id}': 'viewer',
  'PUT /api/notifications/{id}': 'editor',
  'DELETE /api/notifications/{id}': 'editor',
  'GET /api/notifications/{id}/deliveries': 'viewer',
  'POST /api/notifications/{id}/test': 'editor',
};

const ROLE_ORDER: Role[] = ['viewer', 'operator', 'editor', 'admin'];

describe('Roles on every route', () => {
  let t: TestApp;
  const clients = {} as Record<Role, ApiClient>;
  beforeAll(async () => {
    t = await startTestApp();
    for (const role of ROLE_ORDER) clients[role] = (await roleClient(t, role)).api;
  });
  afterAll(() => closeAll(t));

  it('answers 403 exactly where the role may not, walking the OpenAPI document', async () => {
    const doc = (await request(t.url).get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(routes.filter((r) => !(r in LEAST))).toEqual([]);
    expect(routes.length).toBeGreaterThan(40);

    const wrong: string[] = [];
    // Least powerful first, so lower roles cannot profit from what an admin created.
    for (const role of ROLE_ORDER) {
      for (const route of routes) {
        const [method, template] = route.split(' ');
        const path = template.replace(/\{[^}]+\}/g, () => randomUUID());
        const api = clients[role];
        const res =
          method === 'GET'
            ? await api.get(path)
            : method === 'DELETE'
              ? await api.delete(path)
              : method === 'PUT'
                ? await api.put(path, {})
                : await api.post(path, {});
        const least = LEAST[route];
        const may = least === 'public' || mayAct(role, least);
        const ok = may ? res.status !== 403 && res.status !== 401 : res.status === 403;
        if (!ok) wrong.push(`${role} ${route}: ${res.status} (least role ${least})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('has an explicit decision on every route that is not a read', () => {
    const undecided: string[] = [];
    for (const module of t.app.get(ModulesContainer).values()) {
      for (const wrapper of module.controllers.values()) {
        const controller = wrapper.metatype as (new () => object) | null;
        if (!controller) continue;
        const proto = controller.prototype as Record<string, unknown>;
        for (const name of Object.getOwnPropertyNames(proto)) {
          const handler = proto[name];
          if (typeof handler !== 'function' || name === 'constructor') continue;
          const method = Reflect.getMetadata(METHOD_METADATA, handler) as number | undefined;
          // RequestMethod.GET is 0; anything else changes state or may.
          if (method === undefined || method === 0) continue;
          const decided = [ALLOW, IS_PUBLIC].some(
            (key) =>
              Reflect.getMetadata(key, handler) !== undefined ||
              Reflect.getMetadata(key, controller) !== undefined,
          );
          if (!decided) undecided.push(`${controller.name}.${name}`);
        }
      }
    }
    expect(undecided).toEqual([]);
  });
});

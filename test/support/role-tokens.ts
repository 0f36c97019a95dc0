import type { Role } from '@platform/auth/principal';
import { apiClient, type ApiClient, type TestApp } from './test-app';

/** Creates a named API token of a role through the API (as admin) and answers a client using it. */
export async function roleClient(
  t: TestApp,
  role: Role,
  name = `${role} token`,
): Promise<{ id: string; token: string; api: ApiClient }> {
  const res = await t.api().post('/api/tokens', { name, role }).expect(201);
  const { id, token } = res.body as { id: string; token: string };
  return { id, token, api: apiClient(t.url, token) };
}

/**
 * The action a route performs, from its HTTP method and path: `delete` (DELETE), `update`
 * (PUT, PATCH), `create` (POST to a collection), else the last literal word of its path
 * (`:id/cancel` → `cancel`, `:id/approve` → `approve`, `run` → `run`).
 */
export function routeAction(httpMethod: string, path: string): string {
  const method = httpMethod.toUpperCase();
  if (method === 'DELETE') return 'delete';
  if (method === 'PUT' || method === 'PATCH') return 'update';
  const words = path.split('/').filter((w) => w !== '' && !w.startsWith(':'));
  return words.length > 0 ? words[words.length - 1] : 'create';
}

import { routeAction } from './audit-action';

describe('routeAction', () => {
  it.each([
    ['POST', '', 'create'],
    ['POST', '/', 'create'],
    ['PUT', ':id', 'update'],
    ['PATCH', ':id', 'update'],
    ['DELETE', ':id', 'delete'],
    ['POST', ':id/cancel', 'cancel'],
    ['POST', ':id/approve', 'approve'],
    ['POST', 'runs/:id/cancel', 'cancel'],
    ['POST', 'run', 'run'],
  ])('%s %s → %s', (method, path, action) => {
    expect(routeAction(method, path)).toBe(action);
  });
});

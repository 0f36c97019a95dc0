import { ThrottlerStorageService } from '@nestjs/throttler';
import { loadConfig } from '@platform/config/app-config';
import { AuthFailureLimit } from './auth-failure-limit';

describe('AuthFailureLimit', () => {
  let storage: ThrottlerStorageService;
  let limit: AuthFailureLimit;
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2024-06-15T12:00:00Z') });
    storage = new ThrottlerStorageService();
    limit = new AuthFailureLimit(loadConfig({ AUTH_FAILURE_LIMIT: '2' }), storage);
  });
  afterEach(() => {
    storage.onApplicationShutdown();
    jest.useRealTimers();
  });

  it('blocks a client for a minute past the limit, then counts afresh', async () => {
    expect(await limit.failed('192.0.2.1')).toBe(0);
    expect(await limit.failed('192.0.2.1')).toBe(0);
    expect(limit.blockedFor('192.0.2.1')).toBe(0);
    expect(await limit.failed('192.0.2.1')).toBe(60);
    jest.advanceTimersByTime(20_000);
    expect(limit.blockedFor('192.0.2.1')).toBe(40);
    expect(limit.blockedFor('192.0.2.2')).toBe(0);
    jest.advanceTimersByTime(40_001);
    expect(limit.blockedFor('192.0.2.1')).toBe(0);
    expect(await limit.failed('192.0.2.1')).toBe(0);
    expect(await limit.failed('192.0.2.1')).toBe(0);
    expect(await limit.failed('192.0.2.1')).toBe(60);
  });

  it('forgets failures older than a minute', async () => {
    await limit.failed('192.0.2.1');
    await limit.failed('192.0.2.1');
    jest.advanceTimersByTime(60_001);
    expect(await limit.failed('192.0.2.1')).toBe(0);
    expect(await limit.failed('192.0.2.1')).toBe(0);
  });

  it('counts an IPv6 /64 network as one client', async () => {
    await limit.failed('2001:db8:0:1::1');
    await limit.failed('2001:db8:0:1::2');
    expect(await limit.failed('2001:db8:0:1:ffff::3')).toBe(60);
    expect(limit.blockedFor('2001:db8:0:1::4')).toBe(60);
    expect(limit.blockedFor('2001:db8:0:2::1')).toBe(0);
  });
});

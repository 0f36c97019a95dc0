import { project, RequestLog } from './projection';

function log(costs: number[], identity = 'app'): RequestLog {
  const l = new RequestLog();
  costs.forEach((c, i) => {
    l.record(identity, i, c);
  });
  return l;
}

describe('projection of the least wall time under service protection', () => {
  const limits = { windowSeconds: 10, maxRequests: 5, maxExecutionMs: 250, maxConcurrent: 2 };

  it('requests limit: bursts of maxRequests per window', () => {
    const p = project(log(Array(12).fill(0)), 0, 12, { ...limits, maxExecutionMs: 1e9 });
    // 5 at t=0, 5 at t=10 s, 2 at t=20 s.
    expect(p.minimumSeconds).toBe(20);
    expect(p.byLimit.requests).toBe(20);
    expect(p.bindingLimit).toBe('requests');
  });

  it('execution-time limit: the window may be crossed once, then waits for old cost to leave', () => {
    // 100 ms each, limit 250 ms: 3 start at t≈0 (0, 100, 200 < 250; the third crosses to 300),
    // the 4th waits until the 1st leaves at t=10 s, and so on.
    const p = project(log([100, 100, 100, 100]), 0, 4, {
      ...limits,
      maxRequests: 1e9,
      maxConcurrent: 1e9,
    });
    expect(p.byLimit.executionTime).toBeCloseTo(10.1, 3);
    expect(p.bindingLimit).toBe('executionTime');
  });

  it('concurrency limit: requests occupy a slot for their modeled time', () => {
    const p = project(log([1000, 1000, 1000, 1000]), 0, 4, {
      ...limits,
      maxRequests: 1e9,
      maxExecutionMs: 1e9,
    });
    expect(p.minimumSeconds).toBe(2);
    expect(p.byLimit.concurrency).toBe(2);
  });

  it('callers are limited separately; defaults are the real limits', () => {
    const l = new RequestLog();
    for (let i = 0; i < 7000; i += 1) l.record(i % 2 === 0 ? 'a' : 'b', i, 1);
    const p = project(l);
    expect(p.identities).toBe(2);
    expect(p.requests).toBe(7000);
    expect(p.limits.maxRequests).toBe(6000);
    expect(p.minimumSeconds).toBeLessThan(300); // 3500 each stays under 6000 per window
    const one = project(log(Array(7000).fill(1)));
    expect(one.minimumSeconds).toBeGreaterThanOrEqual(300);
    expect(one.bindingLimit).toBe('requests');
  });
});

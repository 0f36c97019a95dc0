import {
  ProcessIdentity,
  STALE_HEARTBEAT_MS,
  ownerIsGone,
  type ProcessRef,
} from './process-identity';

const SELF: ProcessRef = { host: 'box', pid: 100, bootId: 'boot-self' };
const NOW = new Date('2024-06-01T12:00:00.000Z');
const fresh = new Date(NOW.getTime() - 1_000).toISOString();
const stale = new Date(NOW.getTime() - STALE_HEARTBEAT_MS - 1_000).toISOString();
const alive = () => true;
const dead = () => false;

describe('ownerIsGone', () => {
  it('never takes this process for gone', () => {
    expect(ownerIsGone(SELF, stale, NOW, SELF, dead)).toBe(false);
  });

  it('takes an earlier start of this process (same pid, other boot id) for gone', () => {
    expect(ownerIsGone({ ...SELF, bootId: 'boot-before' }, fresh, NOW, SELF, alive)).toBe(true);
  });

  it('takes a dead pid on this host for gone, even with a fresh heartbeat', () => {
    expect(ownerIsGone({ host: 'box', pid: 200, bootId: 'b' }, fresh, NOW, SELF, dead)).toBe(true);
  });

  it('keeps a live process on this host (the CLI) while its heartbeat is fresh', () => {
    expect(ownerIsGone({ host: 'box', pid: 200, bootId: 'b' }, fresh, NOW, SELF, alive)).toBe(
      false,
    );
    expect(ownerIsGone({ host: 'box', pid: 200, bootId: 'b' }, stale, NOW, SELF, alive)).toBe(true);
  });

  it('judges owners on other hosts by their heartbeat only', () => {
    const other = { host: 'elsewhere', pid: 100, bootId: 'b' };
    expect(ownerIsGone(other, fresh, NOW, SELF, dead)).toBe(false);
    expect(ownerIsGone(other, stale, NOW, SELF, alive)).toBe(true);
    expect(ownerIsGone(other, null, NOW, SELF, alive)).toBe(true);
  });

  it('takes a run without an owner for gone', () => {
    expect(ownerIsGone(null, fresh, NOW, SELF, alive)).toBe(true);
  });
});

describe('ProcessIdentity', () => {
  it('knows its own pid is alive and a pid that exited is not', () => {
    const identity = new ProcessIdentity();
    expect(identity.self.pid).toBe(process.pid);
    expect(identity.pidAlive(process.pid)).toBe(true);
    expect(identity.pidAlive(2 ** 22 + 12345)).toBe(false);
  });

  it('has one boot id per process, however many are made', () => {
    expect(new ProcessIdentity().self).toEqual(new ProcessIdentity().self);
  });

  it('knows an earlier start of itself and a dead pid on this host for gone, not another host', () => {
    const identity = new ProcessIdentity();
    const { host, pid, bootId } = identity.self;
    expect(identity.processGone({ host, pid, bootId })).toBe(false);
    expect(identity.processGone({ host, pid, bootId: 'an-earlier-start' })).toBe(true);
    expect(identity.processGone({ host, pid: 2 ** 30, bootId: 'b' })).toBe(true);
    expect(identity.processGone({ host: `not-${host}`, pid: 2 ** 30, bootId: 'b' })).toBe(false);
  });
});

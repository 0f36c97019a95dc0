import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handleAdmin } from './admin/admin-api';
import { Org } from './dataverse/org';
import { listRow } from './dataverse/rows';
import { Faults } from './faults/faults';
import { NotFoundError, type EmulatorHandle, type ListInfo, type RequestMark } from './handle';
import { loadDirectory } from './identity/directory';
import { TokenService } from './identity/token-service';
import {
  resolveCostModel,
  resolveLimits,
  resolveOptions,
  type EmulatorOptions,
  type SeedContact,
} from './options';
import { project, RequestLog } from './protection/projection';
import { RequestStats } from './protection/request-stats';
import { ServiceProtection } from './protection/service-protection';
import { handleDataverse, type DataverseRuntime } from './server/dataverse-pipeline';
import { Delays } from './server/delays';
import { sendJson } from './server/http-util';
import { handleIdentity } from './server/identity-routes';
import { checkContactInput } from './store/contact-input';
import type { Contact } from './store/contact-store';
import type { ListRecord } from './store/list-store';
import { hasSavedState, loadState, saveState } from './store/persistence';
import { caCertFile, loadOrCreateTls } from './tls/certificates';
import { normalizeGuid } from './util/ids';

/**
 * Starts the emulator: HTTPS on 127.0.0.1 (a free port unless `port`), Entra ID and Dataverse
 * on the same origin. Resolves once it listens.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const settings = resolveOptions(options);
  const tls = await loadOrCreateTls(settings.dataDir);
  let tempDir: string | undefined;
  let caCertPath: string;
  if (settings.dataDir) {
    caCertPath = caCertFile(settings.dataDir);
  } else {
    tempDir = mkdtempSync(join(tmpdir(), 'dataverse-emulator-'));
    caCertPath = join(tempDir, 'ca.pem');
    writeFileSync(caCertPath, tls.caCertPem);
  }
  const directory = await loadDirectory({
    ...options,
    seed: settings.seed,
    dataDir: settings.dataDir,
  });
  const tokens = new TokenService(directory, { ...settings });
  let origin = '';
  const newOrg = () => new Org(settings.seed, () => origin, directory);
  const org = newOrg();
  const dataDir = settings.dataDir;
  const restored = dataDir !== undefined && hasSavedState(dataDir);
  if (restored) loadState(dataDir, org);
  else seed(org, options.contacts ?? 0, false);

  // A fresh data folder gets its first state.json at the first save.
  let dirty = !restored;
  let saveTimer: NodeJS.Timeout | undefined;
  const rt: DataverseRuntime = {
    org,
    tokens,
    protection: new ServiceProtection({ ...settings.limits }),
    stats: new RequestStats(),
    log: new RequestLog(),
    faults: new Faults(),
    delays: new Delays(),
    costModel: structuredClone(settings.costModel),
    dopHint: settings.dopHint,
    changed: () => {
      dirty = true;
      if (settings.dataDir && settings.autosaveMs > 0 && !saveTimer) {
        saveTimer = setTimeout(() => {
          saveTimer = undefined;
          save();
        }, settings.autosaveMs);
        saveTimer.unref();
      }
    },
  };
  const save = () => {
    if (settings.dataDir && dirty) {
      saveState(settings.dataDir, rt.org);
      dirty = false;
    }
  };
  let logStart = 0;

  const sockets = new Set<Socket>();
  // eslint-disable-next-line prefer-const -- assigned after the handle, which the routes use
  let handle: EmulatorHandle;
  const server: Server = createServer(
    { cert: tls.certPem, key: tls.keyPem, keepAliveTimeout: 30_000 },
    (req, res) => {
      const url = new URL(req.url ?? '/', origin);
      const route = async () => {
        if (url.pathname.startsWith('/_emulator/')) {
          if (await handleAdmin(req, res, url, handle)) return;
        } else if (url.pathname.startsWith('/api/data/')) {
          if (await handleDataverse(req, res, url, rt)) return;
        } else if (await handleIdentity(req, res, url, rt)) {
          return;
        }
        sendJson(res, 404, {
          error: { code: '0x80060888', message: `No resource at '${url.pathname}'.` },
        });
      };
      route().catch((error: unknown) => {
        sendJson(res, 500, {
          error: { code: '0x80040216', message: `Emulator failure: ${(error as Error).message}` },
        });
      });
    },
  );
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  const host = ['0.0.0.0', '::', '127.0.0.1'].includes(settings.host) ? '127.0.0.1' : settings.host;
  origin = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  tokens.setOrigin(origin);

  const findList = (listid: string): ListRecord => {
    const list = rt.org.lists.get(listid);
    if (!list) throw new NotFoundError(`No list ${listid}`);
    return list;
  };
  const contactIndex = (contactid: string): number => {
    const index = rt.org.contacts.indexOf(contactid);
    if (index < 0) throw new NotFoundError(`No contact ${contactid}`);
    return index;
  };
  const changeList = (listid: string, patch: Partial<ListRecord>) => {
    rt.org.lists.update(findList(listid), patch);
    rt.changed();
  };

  handle = {
    port,
    url: origin,
    authority: tokens.authority,
    tenantId: directory.tenantId,
    clientId: directory.clientId,
    clientSecret: directory.clientSecret,
    caCertPath,
    caCertPem: tls.caCertPem,
    apiUrl: `${origin}/api/data/v9.2`,
    scope: `${origin}/.default`,
    adminUrl: `${origin}/_emulator/v1`,
    contacts: {
      count: () => rt.org.contacts.count,
      all: (offset = 0, limit = Number.POSITIVE_INFINITY) => liveContacts(rt.org, offset, limit),
      get: (id) => {
        const index = rt.org.contacts.indexOf(id);
        return index < 0 ? undefined : rt.org.contacts.contact(index);
      },
      add: (contacts) => {
        const added = seed(rt.org, contacts);
        rt.changed();
        return added;
      },
      update: (id, patch) => {
        const index = contactIndex(id);
        rt.org.contacts.update(index, patch);
        rt.changed();
        return rt.org.contacts.contact(index);
      },
      delete: (id) => {
        rt.org.contacts.remove(contactIndex(id));
        rt.changed();
      },
    },
    lists: {
      all: () => rt.org.lists.all().map(listInfo),
      get: (id) => {
        const list = rt.org.lists.get(id);
        return list && listInfo(list);
      },
      members: (id) => [...findList(id).members].map((i) => rt.org.contacts.idOf(i)),
      lock: (id) => {
        changeList(id, { lockstatus: true });
      },
      unlock: (id) => {
        changeList(id, { lockstatus: false });
      },
      deactivate: (id) => {
        changeList(id, { statecode: 1, statuscode: 1 });
      },
      activate: (id) => {
        changeList(id, { statecode: 0, statuscode: 0 });
      },
    },
    identity: {
      msalAuthorityOptions: () => ({
        authority: tokens.authority,
        knownAuthorities: [new URL(origin).host],
      }),
      msalOfflineAuthorityOptions: () => ({
        authority: tokens.authority,
        knownAuthorities: [new URL(origin).host],
        authorityMetadata: JSON.stringify(tokens.openIdConfiguration()),
        cloudDiscoveryMetadata: JSON.stringify({
          tenant_discovery_endpoint: `${tokens.authority}/v2.0/.well-known/openid-configuration`,
          'api-version': '1.1',
          metadata: [
            {
              preferred_network: new URL(origin).host,
              preferred_cache: new URL(origin).host,
              aliases: [new URL(origin).host],
            },
          ],
        }),
      }),
      pendingDeviceCodes: () => tokens.pendingDeviceCodes(),
      approveDeviceCode: (userCode, username) => tokens.approveDeviceCode(userCode, username),
      declineDeviceCode: (userCode) => tokens.declineDeviceCode(userCode),
      setTokenLifetime: (seconds) => {
        tokens.tokenLifetimeSeconds = seconds;
      },
    },
    faults: {
      failNext: (count, opts) => {
        rt.faults.failNext(count, opts);
      },
      failureRate: (rate, opts) => {
        rt.faults.failureRate(rate, opts);
      },
      addLatency: (ms, opts) => {
        rt.faults.addLatency(ms, opts);
      },
      dropConnections: (count, opts) => {
        rt.faults.dropConnections(count, opts);
      },
      foreignLinks: (origin, opts) => {
        rt.faults.foreignLinks(origin, opts);
      },
      expireAllTokens: () => {
        tokens.expireAllTokens();
      },
      revokeRefreshTokens: () => {
        tokens.revokeRefreshTokens();
      },
      expireDeltaTokens: () => {
        rt.org.deltaTokenFloor = rt.org.clock.next();
        rt.changed();
      },
      denyPrivileges: (privileges, target) => {
        rt.org.privileges.deny(privileges, target);
      },
      lockList: (id) => {
        handle.lists.lock(id);
      },
      deactivateList: (id) => {
        handle.lists.deactivate(id);
      },
      deleteContact: (id) => {
        handle.contacts.delete(id);
      },
      clear: () => {
        rt.faults.clear();
        rt.org.privileges.clear();
      },
      describe: () => ({
        ...rt.faults.describe(),
        privileges: rt.org.privileges.describe(),
        delayedRequests: rt.delays.waiting,
      }),
      deniedPrivileges: () => rt.org.privileges.describe(),
    },
    limits: {
      get: () => ({ ...rt.protection.limits }),
      set: (limits) => {
        rt.protection.limits = resolveLimits(rt.protection.limits, limits);
        rt.protection.clear();
        return { ...rt.protection.limits };
      },
      costModel: () => structuredClone(rt.costModel),
      setCostModel: (model) => {
        rt.costModel = resolveCostModel({
          ...rt.costModel,
          ...model,
          baseMs: { ...rt.costModel.baseMs, ...model.baseMs },
        });
        return structuredClone(rt.costModel);
      },
    },
    stats: () => rt.stats.snapshot(rt.log.length),
    resetStats: () => {
      rt.stats.reset();
      rt.log.clear();
      logStart = 0;
    },
    mark: (): RequestMark => ({ position: rt.log.length, at: new Date() }),
    projection: (from, to, limits) =>
      project(rt.log, from?.position ?? logStart, to?.position ?? rt.log.length, limits),
    reset: (opts = {}) => {
      const previous = rt.org;
      const fresh = newOrg();
      fresh.clock.restore(previous.clock.current);
      fresh.deltaTokenFloor = fresh.clock.next();
      seed(fresh, opts.contacts ?? options.contacts ?? 0, false);
      rt.org = fresh;
      rt.faults.clear();
      // Back to the emulator as started: what one test changed does not leak into the next.
      rt.protection.limits = { ...settings.limits };
      rt.protection.clear();
      rt.costModel = structuredClone(settings.costModel);
      tokens.tokenLifetimeSeconds = settings.tokenLifetimeSeconds;
      handle.resetStats();
      rt.changed();
    },
    save: () => {
      dirty = true;
      save();
    },
    stop: async () => {
      // Requests held by injected latency end now (abandoned), not when their timers would.
      rt.delays.cancelAll();
      if (saveTimer) clearTimeout(saveTimer);
      save();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        for (const socket of sockets) socket.destroy();
      });
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    },
  };
  return handle;
}

/** Seeds contacts; returns them only when asked (a million Contact objects cost seconds). */
function seed(org: Org, contacts: number | SeedContact[], report = true): Contact[] {
  if (typeof contacts === 'number') {
    const start = org.contacts.generate(contacts);
    return report
      ? Array.from({ length: contacts }, (_, k) => org.contacts.contact(start + k))
      : [];
  }
  if (!Array.isArray(contacts)) {
    throw new RangeError('contacts must be a count or an array of contacts');
  }
  // All are checked before the first is added: a refused list adds nothing.
  const ids = new Set<string>();
  contacts.forEach((contact, i) => {
    checkContactInput(contact, `contacts[${i}]`, 'new');
    const id = contact.contactid === undefined ? undefined : normalizeGuid(contact.contactid);
    if (id === undefined) return;
    if (ids.has(id) || org.contacts.indexOf(id, true) >= 0) {
      throw new RangeError(`contacts[${i}].contactid: a contact with id ${id} exists already`);
    }
    ids.add(id);
  });
  const now = Date.now();
  const indexes = contacts.map((c, i) => org.contacts.add(c, now, `contacts[${i}]`));
  return indexes.map((i) => org.contacts.contact(i));
}

function liveContacts(org: Org, offset: number, limit: number): Contact[] {
  return org.contacts.liveIndexes(offset, limit).map((i) => org.contacts.contact(i));
}

function listInfo(list: ListRecord): ListInfo {
  const row = listRow(list);
  return {
    listid: list.listid,
    listname: list.listname,
    createdfromcode: list.createdfromcode,
    type: list.type,
    statecode: list.statecode,
    lockstatus: list.lockstatus,
    membercount: Number(row.membercount),
    purpose: list.purpose,
    source: list.source,
    description: list.description,
  };
}

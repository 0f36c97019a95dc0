import {
  DataverseRuntime,
  clientCredentialsAuth,
  type DataverseClient,
} from '@audience-sync/dataverse-client';
import {
  startEmulator,
  type EmulatorHandle,
  type EmulatorOptions,
} from '@audience-sync/dataverse-emulator';
import type { DestinationRef, PluginEnvironment, SyncMode } from '@audience-sync/exporter-contract';
import { tmpdir } from 'node:os';
import { DynamicsSalesDestination, type DynamicsSalesOptions } from '../dynamics-sales-destination';
import { InMemoryExportJob, emptyStore, type SegmentStore } from './in-memory-export-job';

/**
 * Test support: the emulator, the plugin configured for it as the app would configure it
 * (ALLOWED_HOSTS = the emulator's host:port, its CA as an extra CA), and a destination using the
 * emulator's application credentials.
 */
export interface SalesFixture {
  emu: EmulatorHandle;
  plugin: DynamicsSalesDestination;
  env: PluginEnvironment;
  destination: DestinationRef;
  /** Log lines of the plugin environment's logger. */
  logs: string[];
  /** A job for `segment` wanting `desired` member keys, keeping its checkpoint in `store`. */
  job(
    segment: { id: string; name: string; description?: string | null },
    desired: readonly string[],
    store: SegmentStore,
    options?: {
      syncMode?: SyncMode;
      signal?: AbortSignal;
      fullSync?: boolean;
      destination?: DestinationRef;
      onRecord?: (calls: number) => void;
    },
  ): InMemoryExportJob;
  /**
   * A person working in Sales by hand (through the Web API, with its own client): adds or removes
   * members, deletes lists.
   */
  sales: {
    client: DataverseClient;
    addMembers(listId: string, contactIds: string[]): Promise<void>;
    removeMembers(listId: string, contactIds: string[]): Promise<void>;
    deleteList(listId: string): Promise<void>;
  };
  /** Contact ids of the seeded contacts (first `count`). */
  contactIds(count: number, offset?: number): string[];
  close(): Promise<void>;
}

export async function startSalesFixture(
  emulator: EmulatorOptions = {},
  options: DynamicsSalesOptions = {},
): Promise<SalesFixture> {
  const emu = await startEmulator({ deviceCodeIntervalSeconds: 1, ...emulator });
  try {
    return build(emu, options);
  } catch (error) {
    await emu.stop();
    throw error;
  }
}

function build(emu: EmulatorHandle, options: DynamicsSalesOptions): SalesFixture {
  const logs: string[] = [];
  const push = (level: string) => (message: string) => {
    logs.push(`${level}: ${message}`);
  };
  const env: PluginEnvironment = {
    extraCaCertificates: [emu.caCertPem],
    allowedHosts: [new URL(emu.url).host],
    dataDir: tmpdir(),
    logger: { log: push('log'), warn: push('warn'), error: push('error'), debug: push('debug') },
    now: () => new Date(),
  };
  const plugin = new DynamicsSalesDestination(env, {
    client: { retry: { baseDelayMs: 20, maxDelayMs: 200 } },
    ...options,
  });
  const destination: DestinationRef = {
    id: 'dest-1',
    displayName: 'Sales (emulator)',
    config: {
      serverAddress: emu.url,
      auth: clientCredentialsAuth(emu),
    },
  };
  const handRuntime = new DataverseRuntime({
    allowedHosts: env.allowedHosts,
    extraCaCertificates: env.extraCaCertificates,
  });
  const client = handRuntime.connect({
    serverAddress: emu.url,
    auth: clientCredentialsAuth(emu),
  });
  const members = (listId: string, contactIds: string[]) => ({
    List: { listid: listId, '@odata.type': 'Microsoft.Dynamics.CRM.list' },
    Members: contactIds.map((contactid) => ({
      contactid,
      '@odata.type': 'Microsoft.Dynamics.CRM.contact',
    })),
  });
  const sales: SalesFixture['sales'] = {
    client,
    addMembers: async (listId, contactIds) => {
      await client.post('AddListMembersList', members(listId, contactIds), { idempotent: true });
    },
    removeMembers: async (listId, contactIds) => {
      await client.post('RemoveListMembersList', members(listId, contactIds), { idempotent: true });
    },
    deleteList: async (listId) => {
      await client.delete(`lists(${listId})`);
    },
  };
  return {
    emu,
    plugin,
    sales,
    env,
    destination,
    logs,
    job: (segment, desired, store, jobOptions = {}) =>
      new InMemoryExportJob(
        jobOptions.destination ?? destination,
        { description: null, ...segment },
        desired,
        jobOptions.syncMode ?? 'mirror',
        store,
        { signal: jobOptions.signal, fullSync: jobOptions.fullSync, onRecord: jobOptions.onRecord },
      ),
    contactIds: (count, offset = 0) => emu.contacts.all(offset, count).map((c) => c.contactid),
    close: async () => {
      await plugin.close();
      await handRuntime.close();
      await emu.stop();
    },
  };
}

export { emptyStore };

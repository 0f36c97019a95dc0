import type { ConfigSchema } from './config-schema';

/**
 * How the target's membership follows the segment.
 * - `mirror`: after each export the target holds exactly the segment's exportable members
 *   (new ones added, departed ones removed).
 * - `additive`: members are added, never removed.
 */
export const SYNC_MODES = ['mirror', 'additive'] as const;
export type SyncMode = (typeof SYNC_MODES)[number];

/**
 * The static description of a destination type: data the API and the admin UI show without
 * running plugin code (style: n8n's node description, Grouparoo's plugin).
 */
export interface DestinationTypeDescription {
  /** Stable type id stored with each destination (`dynamics365-sales`, `file`). */
  type: string;
  displayName: string;
  /** One or two sentences for the "Set up" page. */
  description: string;
  /** Schema of the `config` object of a destination of this type. */
  configSchema: ConfigSchema;
  /**
   * Dotted paths of the configuration's secret values (`auth.clientSecret`): stored encrypted,
   * never returned. Usually `secretPaths(configSchema)`.
   */
  secretFields: string[];
  syncModes: SyncMode[];
  defaultSyncMode: SyncMode;
  /**
   * What identifies a member in the target, i.e. what the destination's `contactIdField`
   * (a customer field) must hold. Null for destinations that need no key (files).
   */
  memberKey: {
    label: string;
    description: string;
    /**
     * Keys that differ only in letter case are the same member (GUIDs such as Dynamics contact
     * ids): the core compares them in lower case and hands them to the plugin in lower case
     * (`changes()`); keys given to `record` and `reconcile` may be in any case.
     */
    caseInsensitive?: boolean;
  } | null;
  /**
   * `changes`: the plugin applies membership differences (adds/removes) since its checkpoint.
   * `snapshot`: the plugin writes the whole membership each time.
   */
  exportStyle: 'changes' | 'snapshot';
  /** The type offers an interactive sign-in (`startSignIn`). */
  signIn?: { kind: 'device-code'; label: string; description: string };
}

import { DynamicsSalesDestination } from '@audience-sync/destination-dynamics365-sales';
import { FileDestination } from '@audience-sync/destination-file';
import type { DestinationPluginFactory } from '@audience-sync/exporter-contract';

/**
 * The destination types of this build. Adding a destination = adding its plugin package and
 * one line here; nothing else in the core changes.
 */
export const DESTINATION_PLUGINS: DestinationPluginFactory[] = [
  (env) => new FileDestination(env),
  (env) => new DynamicsSalesDestination(env),
  // One line per destination type: (env) => new MyDestination(env),
];

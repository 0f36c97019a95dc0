/**
 * @audience-sync/dataverse-emulator: a local Dynamics 365 (Dataverse Web API) and Entra ID
 * emulator over HTTPS, for tests, demos and benchmarks. See README.md.
 */
export { startEmulator } from './emulator';
export { NotFoundError } from './handle';
export type {
  EmulatorHandle,
  EmulatorInfo,
  ListInfo,
  MsalAuthorityOptions,
  MsalOfflineAuthorityOptions,
  RequestMark,
} from './handle';
export {
  DEFAULT_COST_MODEL,
  REAL_LIMITS,
  type CostModel,
  type EmulatorOptions,
  type OperationKind,
  type SeedContact,
  type ServiceProtectionLimits,
} from './options';
export type { Contact, ContactPatch } from './store/contact-store';
export type { Privilege, PrivilegeTarget } from './dataverse/privileges';
export { PRIVILEGES } from './dataverse/privileges';
export type {
  FailNextOptions,
  FailureRateOptions,
  FaultTarget,
  FaultsDescription,
  LatencyOptions,
} from './faults/faults';
export type { PendingDeviceCode } from './identity/token-service';
export { DEFAULT_USERNAME } from './identity/token-service';
export { DEFAULT_USERS, READERS_GROUP_ID, type EmulatorUser } from './identity/users';
export type { Projection } from './protection/projection';
export type { EndpointStats, StatsSnapshot } from './protection/request-stats';
export { MAX_BATCH_OPERATIONS } from './batch/batch-handler';
export { loadOrCreateTls, type TlsMaterial } from './tls/certificates';

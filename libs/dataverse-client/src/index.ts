export * from './app-registration';
export * from './auth-settings';
export * from './batch';
export * from './clouds';
export * from './dataverse-client';
export * from './dataverse-runtime';
export { readODataError } from './dataverse-error-parser';
export type {
  DeviceCodeChallenge,
  DeviceCodeResult,
  DeviceCodeSignIn,
} from './device-code-sign-in';
export type { TokenCacheListener } from './delegated-token-provider';
export * from './errors';
export * from './for-each-concurrent';
export * from './host-allow-list';
export type { HttpRequest, HttpResponse } from './http-transport';
export { HttpTransport } from './http-transport';
export { createHttpsDispatcher, type HttpsDispatcherOptions } from './https-dispatcher';
export { msalConfiguration, type ClientLogger } from './msal-configuration';
export { MsalNetworkClient } from './msal-network-client';
export { DEFAULT_RETRY, parseRetryAfter, type RetryOptions } from './retry-policy';
export { FOREIGN_LINK, checkServerLink, isForeignLink, type LinkSource } from './server-links';
export * from './stats';
export type { TokenProvider } from './token-provider';

/**
 * The Microsoft clouds Dataverse organizations and Entra ID sign-ins live in. These are the hosts
 * allowed by default; `ALLOWED_HOSTS` adds more (an emulator, a proxy).
 *
 * Sources: Dataverse Web API URL shape `https://<org>.crm<N>.dynamics.com` (public regions crm,
 * crm2 … crm21; crm9 is US GCC); sovereign clouds: China operated by 21Vianet
 * (`*.crm.dynamics.cn`, sign-in at login.chinacloudapi.cn / login.partner.microsoftonline.cn),
 * US GCC High (`*.crm.microsoftdynamics.us`) and DoD (`*.crm.appsplatform.us`), both signing in at
 * login.microsoftonline.us. Entra ID hosts are the ones msal-common knows as Microsoft authorities.
 */
export interface Cloud {
  name: string;
  /** Dataverse host patterns (`*.domain`). */
  dataverse: string[];
  /** The Entra ID host tokens for this cloud's organizations come from. */
  authorityHost: string;
}

const PUBLIC_REGIONS = ['crm', ...Array.from({ length: 20 }, (_, i) => `crm${i + 2}`)];

export const CLOUDS: readonly Cloud[] = [
  {
    name: 'Microsoft public cloud (incl. US GCC)',
    dataverse: PUBLIC_REGIONS.map((region) => `*.${region}.dynamics.com`),
    authorityHost: 'login.microsoftonline.com',
  },
  {
    name: 'Microsoft Azure operated by 21Vianet (China)',
    dataverse: ['*.crm.dynamics.cn'],
    authorityHost: 'login.chinacloudapi.cn',
  },
  {
    name: 'US Government GCC High',
    dataverse: ['*.crm.microsoftdynamics.us'],
    authorityHost: 'login.microsoftonline.us',
  },
  {
    name: 'US Government DoD',
    dataverse: ['*.crm.appsplatform.us'],
    authorityHost: 'login.microsoftonline.us',
  },
];

/** Every Entra ID host allowed by default (the clouds' sign-in hosts and their aliases). */
export const DEFAULT_AUTHORITY_HOSTS: readonly string[] = [
  'login.microsoftonline.com',
  'login.microsoft.com',
  'login.windows.net',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
];

export const DEFAULT_DATAVERSE_HOSTS: readonly string[] = CLOUDS.flatMap((c) => c.dataverse);

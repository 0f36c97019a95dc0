import {
  secretPaths,
  type ConfigSchema,
  type DestinationTypeDescription,
  type StringSchema,
} from '@audience-sync/exporter-contract';

export const DYNAMICS_SALES_TYPE = 'dynamics365-sales';

const GUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

const tenantId: StringSchema = {
  type: 'string',
  title: 'Tenant id',
  description:
    'Directory (tenant) id of the Entra ID tenant of the organization, or a verified domain. Leave empty to use the app registration in Settings; for a Sales account it may stay empty: the tenant is then the one of the account that signs in.',
  pattern: '^[A-Za-z0-9][A-Za-z0-9.-]{0,253}$',
  'x-placeholder': '00000000-0000-0000-0000-000000000000',
  'x-order': 2,
  'x-app-registration': true,
};

const authorityHost: StringSchema = {
  type: 'string',
  format: 'uri',
  title: 'Sign-in host',
  description:
    'Leave empty when the organization signs in at Microsoft: the cloud of the server address is used (login.microsoftonline.com, .us or the China cloud). Required for any other sign-in host (your own identity provider or a test server): enter it as https://host[:port]. Changing it asks for the client secret again (and a new sign-in).',
  'x-placeholder': 'https://login.microsoftonline.com',
  'x-order': 9,
  'x-app-registration': true,
  // The client secret and the refresh token are sent here.
  'x-secret-host': true,
};

/** The configuration a Dynamics 365 Sales destination takes. */
export const CONFIG_SCHEMA: ConfigSchema = {
  type: 'object',
  properties: {
    serverAddress: {
      type: 'string',
      format: 'uri',
      title: 'Server address',
      description:
        'The organization URL of Dynamics 365 Sales (https only), e.g. https://contoso.crm.dynamics.com. Changing it asks for the client secret again (and a new sign-in).',
      'x-placeholder': 'https://contoso.crm.dynamics.com',
      'x-order': 1,
      // Tokens go here, and the default sign-in host follows from it.
      'x-secret-host': true,
    },
    auth: {
      type: 'object',
      title: 'Sign-in',
      'x-order': 2,
      properties: {
        kind: {
          type: 'string',
          enum: ['clientCredentials', 'delegated'],
          'x-enum-labels': ['Application (client secret)', 'Sales account (Sign in with a code)'],
          default: 'clientCredentials',
          'x-order': 1,
          'x-app-registration': true,
        },
      },
      'x-one-click': 'delegated',
      required: ['kind'],
      oneOf: [
        {
          type: 'object',
          title: 'Application (client secret)',
          description:
            'An app registration with a client secret, added to the organization as an application user with a security role that can manage marketing lists.',
          properties: {
            kind: { const: 'clientCredentials' },
            tenantId,
            clientId: {
              type: 'string',
              title: 'Application (client) id',
              description: 'Leave empty to use the app registration in Settings.',
              pattern: GUID,
              'x-order': 3,
              'x-app-registration': true,
            },
            clientSecret: {
              type: 'string',
              title: 'Client secret',
              description:
                'The secret\'s Value from "Certificates & secrets". Leave empty to use the app registration in Settings.',
              minLength: 1,
              'x-secret': true,
              'x-order': 4,
              'x-app-registration': true,
            },
            authorityHost,
          },
          // Ids may come from the installation's app registration (checked by validateConfig).
          required: ['kind'],
          additionalProperties: false,
        },
        {
          type: 'object',
          title: 'Sales account (Sign in with a code)',
          description:
            'A person signs in with their Sales account (device code); exports then run as that person. The app registration must allow public client flows and the Dynamics CRM user_impersonation permission.',
          properties: {
            kind: { const: 'delegated' },
            tenantId,
            clientId: {
              type: 'string',
              title: 'Public client application id',
              description: 'Leave empty to use the app registration in Settings.',
              pattern: GUID,
              'x-order': 3,
              'x-app-registration': true,
            },
            tokenCache: {
              type: 'string',
              title: 'Sign-in (kept by Sign in)',
              description: 'Set by "Sign in"; holds the refresh token.',
              'x-secret': true,
              readOnly: true,
              'x-order': 10,
            },
            authorityHost,
          },
          required: ['kind'],
          additionalProperties: false,
        },
      ],
    },
    lists: {
      type: 'object',
      title: 'Marketing list per segment',
      description:
        'By segment id: the name of the list to create (default: the segment’s name), or the id of an existing static contact list to export to instead of creating one.',
      'x-per-segment': true,
      'x-order': 20,
      properties: {},
      additionalProperties: {
        type: 'object',
        properties: {
          name: {
            type: 'string',
            title: 'Sales list name',
            description: 'Leave empty to name the list after the segment.',
            minLength: 1,
            maxLength: 128,
          },
          listId: {
            type: 'string',
            title: 'Existing static list',
            description:
              'Export to this existing static contact list instead of creating one. In mirror mode, members not in the segment are removed from it.',
            pattern: GUID,
          },
        },
        additionalProperties: false,
      },
    },
  },
  required: ['serverAddress', 'auth'],
  additionalProperties: false,
};

export const DESCRIPTION: DestinationTypeDescription = {
  type: DYNAMICS_SALES_TYPE,
  displayName: 'Dynamics 365 Sales',
  description:
    'Each exported segment becomes a static marketing list of contacts in Dynamics 365 Sales, kept equal to the segment (or only added to). Contacts are never created.',
  configSchema: CONFIG_SCHEMA,
  secretFields: secretPaths(CONFIG_SCHEMA),
  syncModes: ['mirror', 'additive'],
  defaultSyncMode: 'mirror',
  memberKey: {
    label: 'Dynamics 365 contact id',
    description:
      'The customer field holding the contactid (GUID) of the Sales contact, usually ingested from the Dataverse contacts source.',
    // GUIDs: `ABC…` and `abc…` name one contact, so the core compares keys in lower case.
    caseInsensitive: true,
  },
  exportStyle: 'changes',
  signIn: {
    kind: 'device-code',
    label: 'Sign in',
    description:
      'Sign in with a Dynamics 365 Sales account using a code shown here; the sign-in is kept (encrypted) and renewed automatically.',
  },
};

/**
 * What the demo builds, in one place: the Sales org it emulates, the two sources, the match
 * rules and the segments. `generate-sample.ts` writes the shop's CSV from the same constants.
 */

/** Seed of the emulator's generated Sales contacts (names, emails, phones, cities, ids). */
export const SALES_SEED = 6;
/** Contacts in the emulated Sales org. */
export const SALES_CONTACTS = 1500;
/** The shop's customers that are Sales contacts too (with noise), and those that are not. */
export const SHOP_SALES_PEOPLE = 1000;
export const SHOP_ONLY_PEOPLE = 200;

/** The sample file, next to this script in the repository (`demo/`). */
export const SAMPLE_FILE = 'sample-shop-customers.csv';
export const SAMPLE_HEADER = [
  'customer_no',
  'first_name',
  'last_name',
  'email',
  'phone',
  'city',
  'lifetime_value',
  'orders',
  'last_order',
  'newsletter',
];

export const CSV_SOURCE = {
  name: 'Web shop customers',
  type: 'csv',
  primaryKey: 'customer_no',
  mapping: {
    firstName: 'first_name',
    lastName: 'last_name',
    email: 'email',
    phone: 'phone',
    city: 'city',
    lifetimeValue: { column: 'lifetime_value', type: 'number' },
    orders: { column: 'orders', type: 'number' },
    lastOrder: { column: 'last_order', type: 'date' },
    newsletter: { column: 'newsletter', type: 'boolean' },
  },
};

export const SALES_SOURCE_NAME = 'Sales contacts';

/** The Dataverse contacts source (connection options are added at run time). */
export const SALES_SOURCE = {
  name: SALES_SOURCE_NAME,
  type: 'dataverse',
  primaryKey: 'contactid',
  mapping: {
    contactId: 'contactid',
    firstName: 'firstname',
    lastName: 'lastname',
    email: 'emailaddress1',
    phone: 'telephone1',
    city: 'address1_city',
  },
  lastModifiedColumn: 'modifiedon',
};

/**
 * Match rules: the same email (canonical form), or the same phone number (digits) with a similar
 * last name (typos allowed). Names and addresses come from Sales first.
 */
export const UNIFICATION = {
  rules: [
    {
      name: 'Same email',
      conditions: [{ field: 'email', normalizers: ['email'], match: 'exact' }],
    },
    {
      name: 'Same phone, similar last name',
      conditions: [
        { field: 'phone', normalizers: ['digitsOnly'], match: 'exact' },
        {
          field: 'lastName',
          normalizers: ['trim', 'collapseWhitespace', 'lowercase', 'removeDiacritics'],
          match: { fuzzy: 0.75 },
        },
      ],
    },
  ],
  dedupeWithinSource: false,
  merge: {
    default: 'mostRecent',
    fields: {},
    groups: [
      {
        name: 'Person',
        fields: ['firstName', 'lastName', 'email', 'phone', 'city'],
        policy: { sourcePriority: [SALES_SOURCE_NAME] },
      },
    ],
  },
};

export const SEGMENTS = [
  {
    name: 'High-value customers',
    description: 'Lifetime value of 2,000 or more',
    rule: { all: [{ field: 'lifetimeValue', op: 'gte', value: 2000 }] },
  },
  {
    name: 'Newsletter subscribers',
    description: 'Said yes to the newsletter in the shop',
    rule: { all: [{ field: 'newsletter', op: 'eq', value: true }] },
  },
  {
    name: 'Lapsed regulars',
    description: 'Three orders or more, none since March 2025',
    rule: {
      all: [
        { field: 'orders', op: 'gte', value: 3 },
        { field: 'lastOrder', op: 'lt', value: '2025-03-01' },
      ],
    },
  },
  {
    name: 'Sales contacts in Lisbon, Madrid or Barcelona',
    description: 'Every customer with a Sales contact in Iberia',
    rule: {
      all: [
        { field: 'city', op: 'in', value: ['Lisbon', 'Madrid', 'Barcelona'] },
        { field: 'contactId', op: 'isNotEmpty' },
      ],
    },
  },
];

export const DESTINATION_NAME = 'Dynamics 365 Sales (emulator)';

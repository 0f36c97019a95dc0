import { NORMALIZER_NAMES } from '@stages/contract/normalizers';

/**
 * The JSON schema of `PUT /api/unification` (OpenAPI 3.0 subset, so the same object documents
 * the API and validates bodies with ajv). Meaning that needs the catalogue (field names, source
 * names, fuzzy needs an exact condition) is checked afterwards by unification-config.validator.ts.
 */

const POLICY_MESSAGE =
  'must be "mostRecent", "leastRecent" or { "sourcePriority": ["<source name or id>", …] }';
const MATCH_MESSAGE = 'must be "exact" or { "fuzzy": <similarity threshold from 0 to 1> }';

/** Messages for `oneOf` alternatives, by schema object (ajv reports them as parentSchema). */
export const ONE_OF_MESSAGES = new Map<object, string>();

function oneOf<T extends object>(schema: T, message: string): T {
  ONE_OF_MESSAGES.set(schema, message);
  return schema;
}

export const MERGE_POLICY_SCHEMA = oneOf(
  {
    description:
      'How a value is chosen among the records of a customer. `mostRecent` / `leastRecent` use the record\'s last-modified value (the source\'s `lastModifiedColumn`; records without one come after all dated records); `{ "sourcePriority": [...] }` takes the first listed source that has a value (unlisted sources after, in name order; within a source the most recent record). Remaining ties: source name, then record key.',
    oneOf: [
      { type: 'string', enum: ['mostRecent', 'leastRecent'] },
      {
        type: 'object',
        required: ['sourcePriority'],
        additionalProperties: false,
        properties: {
          sourcePriority: {
            type: 'array',
            minItems: 1,
            maxItems: 1000,
            items: { type: 'string', minLength: 1, maxLength: 200 },
            description: 'Source names or IDs, most trusted first.',
          },
        },
      },
    ],
  },
  POLICY_MESSAGE,
);

const MATCH_SCHEMA = oneOf(
  {
    description:
      '`exact`: equal after normalization. `{ "fuzzy": t }`: normalized Levenshtein similarity (1 − edits / length of the longer value) of at least t, compared only between records that share the rule\'s exact conditions (its blocking key).',
    oneOf: [
      { type: 'string', enum: ['exact'] },
      {
        type: 'object',
        required: ['fuzzy'],
        additionalProperties: false,
        properties: { fuzzy: { type: 'number', minimum: 0, maximum: 1 } },
      },
    ],
  },
  MATCH_MESSAGE,
);

export const UNIFICATION_CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['rules'],
  properties: {
    rules: {
      type: 'array',
      maxItems: 50,
      description:
        'Ordered match rules; two records belong to one customer when any rule matches them, transitively. An empty list makes every record its own customer.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['conditions'],
        properties: {
          name: {
            type: 'string',
            minLength: 1,
            maxLength: 100,
            description: 'Shown in run figures; defaults to "rule <n>".',
          },
          conditions: {
            type: 'array',
            minItems: 1,
            maxItems: 20,
            description: 'All must hold (AND).',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['field', 'match'],
              properties: {
                field: { type: 'string', minLength: 1, maxLength: 64 },
                normalizers: {
                  type: 'array',
                  maxItems: 20,
                  items: { type: 'string', enum: [...NORMALIZER_NAMES] },
                  description:
                    'Applied in order. trim, lowercase, collapseWhitespace (runs of whitespace → one space), removeDiacritics (é→e, ß→ss, ø→o), digitsOnly (phones), alphanumeric (letters and digits only), email (trim + lower case), emailMailbox (email, without +tag; Gmail without dots). A value that normalizes to empty never matches.',
                },
                match: MATCH_SCHEMA,
              },
            },
          },
        },
      },
    },
    dedupeWithinSource: {
      type: 'boolean',
      description:
        'Whether records of the same source may match each other (default true). When false they are never matched directly, but can still join one customer through records of other sources.',
    },
    merge: {
      type: 'object',
      additionalProperties: false,
      properties: {
        default: MERGE_POLICY_SCHEMA,
        fields: {
          type: 'object',
          description: 'Per-field policies overriding the default: { "<field>": <policy> }.',
          additionalProperties: MERGE_POLICY_SCHEMA,
        },
        groups: {
          type: 'array',
          maxItems: 100,
          description: 'Fields taken together from one record (e.g. an address).',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'fields'],
            properties: {
              name: { type: 'string', minLength: 1, maxLength: 100 },
              fields: {
                type: 'array',
                minItems: 1,
                maxItems: 100,
                items: { type: 'string', minLength: 1, maxLength: 64 },
              },
              policy: MERGE_POLICY_SCHEMA,
            },
          },
        },
      },
    },
  },
} as const;

/**
 * The configuration as `GET`/`PUT /api/unification` answer it: the body's schema with every
 * default filled in (so the UI's generated types need no checks for absent parts), plus `saved`.
 */
export const UNIFICATION_CONFIG_VIEW_SCHEMA = (() => {
  const view = JSON.parse(JSON.stringify(UNIFICATION_CONFIG_SCHEMA)) as {
    required: string[];
    properties: Record<string, Record<string, unknown>> & {
      rules: {
        items: {
          required: string[];
          properties: { conditions: { items: { required: string[] } } };
        };
      };
      merge: { required?: string[] };
    };
  };
  view.required = ['rules', 'dedupeWithinSource', 'merge', 'saved'];
  view.properties.rules.items.required = ['name', 'conditions'];
  view.properties.rules.items.properties.conditions.items.required = [
    'field',
    'normalizers',
    'match',
  ];
  view.properties.merge.required = ['default', 'fields', 'groups'];
  view.properties.saved = {
    type: 'boolean',
    description: 'False until the first PUT (the defaults are shown)',
  };
  return view as object;
})();

import type { DestinationTypeDescription } from '@audience-sync/exporter-contract';

export const FILE_FORMATS = ['csv', 'ndjson'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

/** The configuration of a file destination, as validated against {@link fileDescription}. */
export interface FileDestinationConfig {
  folder: string;
  format: FileFormat;
  fields: string[];
  /** Absent in configurations saved before the option existed: on. */
  formulaEscaping?: boolean;
}

/** What the API and the admin UI show about the `file` destination type. */
export const fileDescription: DestinationTypeDescription = {
  type: 'file',
  displayName: 'Files (CSV or NDJSON)',
  description:
    "Writes each chosen segment's members, with the customer fields you pick, to one file per " +
    'segment in a folder on the server. Each export replaces the files atomically.',
  configSchema: {
    type: 'object',
    properties: {
      folder: {
        type: 'string',
        title: 'Folder',
        description:
          'A relative folder is created under DATA_DIR/exports. An absolute folder must be ' +
          'inside one of the folders listed in the EXPORT_FOLDERS setting.',
        minLength: 1,
        maxLength: 1024,
        'x-order': 1,
        'x-placeholder': 'segments',
      },
      format: {
        type: 'string',
        title: 'Format',
        enum: [...FILE_FORMATS],
        'x-enum-labels': ['CSV (header row, RFC 4180)', 'NDJSON (one JSON object per line)'],
        default: 'csv',
        'x-order': 2,
      },
      fields: {
        type: 'array',
        title: 'Customer fields',
        description: 'The columns of each file, in this order.',
        items: { type: 'string', minLength: 1 },
        minItems: 1,
        uniqueItems: true,
        'x-customer-fields': true,
        'x-order': 3,
      },
      formulaEscaping: {
        type: 'boolean',
        title: 'Neutralize spreadsheet formulas (CSV)',
        description:
          'On (recommended): a text value starting with =, +, -, @, a tab or a carriage return ' +
          'is written quoted with a \' in front ("\'=1+1"), so a spreadsheet opening the file ' +
          'shows it as text instead of running it as a formula (CSV injection, as OWASP ' +
          'advises). Off: such values are written unchanged, for programs that read the file ' +
          'as data. Numbers are never changed; NDJSON files are never changed.',
        default: true,
        'x-order': 4,
      },
    },
    required: ['folder', 'fields'],
    additionalProperties: false,
  },
  secretFields: [],
  syncModes: ['mirror'],
  defaultSyncMode: 'mirror',
  memberKey: null,
  exportStyle: 'snapshot',
};

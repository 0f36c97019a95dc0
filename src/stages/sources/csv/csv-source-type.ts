import type { SourceType } from '../source-types';
import { normalizeCsvOptions } from './csv-options';

/** CSV files uploaded through the API; a refresh keeps the last upload. */
export const CSV_SOURCE_TYPE: SourceType = {
  type: 'csv',
  description: 'CSV files uploaded to POST /api/sources/{id}/upload',
  remote: false,
  uploads: true,
  normalizeOptions: (input) => {
    const { options, errors } = normalizeCsvOptions(input);
    return { options: { ...options }, errors };
  },
};

import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { API_TYPES_FILE, generateApiTypes } from '../src/bootstrap/api-types';

/** `npm run api-types`: rewrites the admin UI's API types from the server's OpenAPI document. */
generateApiTypes()
  .then((source) => {
    writeFileSync(API_TYPES_FILE, source);
    console.log(`Wrote ${API_TYPES_FILE}`);
  })
  .catch((error: unknown) => {
    console.error('Generating the API types failed:', error);
    process.exit(1);
  });

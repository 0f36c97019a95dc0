import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { API_TYPES_FILE, generateApiTypes } from './api-types';

describe('the admin UI API types', () => {
  it('are those generated from the OpenAPI document today (run "npm run api-types" when not)', async () => {
    const committed = readFileSync(API_TYPES_FILE, 'utf8');
    expect(await generateApiTypes()).toBe(committed);
  });
});

import openapiTS, { astToString } from 'openapi-typescript';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@platform/config/app-config';
import { createApp } from './create-app';
import { openApiDocument } from './openapi';

/** Where the admin UI keeps the generated types (committed; `npm run api-types` rewrites it). */
export const API_TYPES_FILE = 'libs/admin-ui/src/api/schema.d.ts';

const HEADER = `/**
 * Generated from the server's OpenAPI document (/api/docs-json) by \`npm run api-types\`
 * (src/bootstrap/api-types.ts). Do not edit: src/bootstrap/api-types.spec.ts fails when it drifts.
 */
`;

/**
 * The admin UI's API types, as TypeScript source: the app is built over a throwaway SQLite data
 * folder (never listening), its OpenAPI document turned into types by openapi-typescript.
 */
export async function generateApiTypes(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'audience-sync-api-types-'));
  try {
    const app = await createApp(
      loadConfig({ DATA_DIR: dataDir, API_TOKEN: 'api-types-only-token', LOG_LEVEL: 'error' }),
    );
    try {
      const document = openApiDocument(app);
      const ast = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0]);
      return HEADER + astToString(ast);
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

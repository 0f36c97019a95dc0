import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

/**
 * A `node -r` hook that lets a child process run this checkout's TypeScript as it is (SWC, as
 * Jest does): the app's sources, the path aliases (`@platform/*`, …) and the libs
 * (`@audience-sync/*`) from their sources, so the child runs the code under test rather than an
 * older build in dist/. Compiled files are cached by path, size and mtime in the hook's folder,
 * so later children start faster.
 */
const HOOK = `
const { transformSync } = require(${JSON.stringify(require.resolve('@swc/core'))});
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const Module = require('node:module');
const libs = ${JSON.stringify(join(ROOT, 'libs'))};
const src = ${JSON.stringify(join(ROOT, 'src'))};
const cache = join(__dirname, 'cache');
mkdirSync(cache, { recursive: true });
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const lib = /^@audience-sync\\/([^/]+)$/.exec(request);
  if (lib) return resolveFilename.call(this, join(libs, lib[1], 'src', 'index.ts'), ...rest);
  const alias = /^@(platform|stages|orchestration)\\/(.+)$/.exec(request);
  if (alias) return resolveFilename.call(this, join(src, alias[1], alias[2] + '.ts'), ...rest);
  return resolveFilename.call(this, request, ...rest);
};
require.extensions['.ts'] = function (module, filename) {
  const stat = statSync(filename);
  const key = createHash('sha1').update(filename + ':' + stat.size + ':' + stat.mtimeMs).digest('hex');
  const cached = join(cache, key + '.js');
  let code;
  try {
    code = readFileSync(cached, 'utf8');
  } catch {
    code = transformSync(readFileSync(filename, 'utf8'), {
      filename,
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
        keepClassNames: true,
      },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    }).code;
    writeFileSync(cached + '.' + process.pid, code);
    renameSync(cached + '.' + process.pid, cached);
  }
  module._compile(code, filename);
};
`;

/** The hook in a temporary folder of its own: pass `path` to `node -r`, `remove()` after. */
export function tsChildHook(prefix: string): { path: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const path = join(dir, 'hook.js');
  writeFileSync(path, HOOK);
  return {
    path,
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

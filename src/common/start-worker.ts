import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Starts the worker-thread entry `<dir>/<name>.js` (pass the caller's `__dirname`). From the
 * compiled app it runs the emitted `.js`. From TypeScript sources (Jest compiles in memory with
 * SWC, so there is no `.js` to start) the worker compiles its own modules with @swc/core, as
 * Jest does.
 */
export function startWorker(dir: string, name: string, workerData: unknown): Worker {
  if (__filename.endsWith('.js')) {
    return new Worker(join(dir, `${name}.js`), { workerData });
  }
  return new Worker(TYPESCRIPT_LOADER, {
    eval: true,
    workerData,
    argv: [join(dir, `${name}.ts`)],
  });
}

/** Registers a `.ts` loader backed by @swc/core (a dev dependency), then loads the entry. */
const TYPESCRIPT_LOADER = `
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const entry = process.argv[process.argv.length - 1];
const { transformSync } = Module.createRequire(entry)('@swc/core');
Module._extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
Module.createRequire(entry)(entry);
`;

import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ParseWorkerData } from './parse-messages';

/**
 * Starts the CSV parse worker (`csv-parse.worker`). From the compiled app it runs the
 * emitted `.js`. From TypeScript sources (Jest compiles in memory with SWC, so there is no
 * `.js` to start) the worker compiles its own modules with @swc/core, as Jest does.
 */
export function startParseWorker(data: ParseWorkerData): Worker {
  if (__filename.endsWith('.js')) {
    return new Worker(join(__dirname, 'csv-parse.worker.js'), { workerData: data });
  }
  return new Worker(TYPESCRIPT_LOADER, {
    eval: true,
    workerData: data,
    argv: [join(__dirname, 'csv-parse.worker.ts')],
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

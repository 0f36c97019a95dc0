import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Lets a child `node` run TypeScript sources as they are (compiled by SWC on require, as Jest
 * does), so a test runs the CLI of this checkout rather than an older build in dist/.
 */
const HOOK = `
const { transformSync } = require(${JSON.stringify(require.resolve('@swc/core'))});
const { readFileSync } = require('node:fs');
require.extensions['.ts'] = function (module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
`;

let hookFile: string | undefined;

function hook(): string {
  if (!hookFile) {
    const dir = join(tmpdir(), `emulator-ts-hook-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    hookFile = join(dir, 'hook.js');
    writeFileSync(hookFile, HOOK);
  }
  return hookFile;
}

/** Removes the hook file (after the last child). */
export function removeHook(): void {
  if (hookFile) rmSync(dirname(hookFile), { recursive: true, force: true });
  hookFile = undefined;
}

export interface Child {
  process: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout line. */
  firstLine(): Promise<string>;
  /** Resolves once stdout contains `text`. */
  printed(text: string): Promise<void>;
  exit: Promise<number | null>;
}

/** Starts `node <script.ts> …args` with stdout and stderr collected. */
export function runTs(script: string, args: string[]): Child {
  const child = spawn(process.execPath, ['-r', hook(), script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    for (const check of waiters.slice()) check();
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = once(child, 'close').then(([code]) => code as number | null);
  /** Resolves with `found(out)` once it gives a value; rejects if the child exits first. */
  const when = <T>(found: (text: string) => { value: T } | undefined): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const check = () => {
        const hit = found(out);
        if (!hit) return;
        waiters.splice(waiters.indexOf(check), 1);
        resolve(hit.value);
      };
      waiters.push(check);
      check();
      void exit.then((code) => {
        reject(new Error(`exited (${String(code)}) first:\n${out}\n${err}`));
      });
    });
  return {
    process: child,
    stdout: () => out,
    stderr: () => err,
    firstLine: () =>
      when((text) =>
        text.includes('\n') ? { value: text.slice(0, text.indexOf('\n')) } : undefined,
      ),
    printed: (wanted) => when((text) => (text.includes(wanted) ? { value: undefined } : undefined)),
    exit,
  };
}

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BenchOptions } from './index';
import { printTable, timed } from './support/measure';

const UI = resolve(__dirname, '..', '..', 'libs', 'admin-ui');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Runs a command in the UI package `runs` times; the median wall time in seconds. */
async function medianSeconds(command: string, args: string[], runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { seconds } = await timed(() => {
      execFileSync(command, args, { cwd: UI, stdio: 'ignore' });
    });
    times.push(seconds);
  }
  return median(times);
}

/**
 * How much the admin UI adds to `npm run build`: the Vite production build of libs/admin-ui
 * (bundle, minify, write), beside a baseline of the TypeScript type-check of the same sources
 * (`tsc --noEmit`, the least a typed build costs), plus what the browser downloads.
 */
export const bench = {
  describe:
    'admin UI production build time (Vite) beside a type-check of the same sources; bundle sizes',
  run: async (options: BenchOptions) => {
    const runs = Number(options.runs ?? 3);
    // The packages' own command-line entry points, resolved from the UI package.
    const bin = (pkg: string, file: string) =>
      join(dirname(require.resolve(`${pkg}/package.json`, { paths: [UI] })), file);
    const node = process.execPath;
    const build = await medianSeconds(
      node,
      [bin('vite', 'bin/vite.js'), 'build', '--logLevel', 'silent'],
      runs,
    );
    const typecheck = await medianSeconds(
      node,
      [bin('typescript', 'bin/tsc'), '-p', 'tsconfig.json', '--noEmit'],
      runs,
    );
    printTable(`build (median of ${runs})`, [
      { step: 'vite build (the UI part of npm run build)', seconds: build },
      { step: 'baseline: tsc --noEmit of the same sources', seconds: typecheck },
      { step: 'ratio build / baseline', seconds: build / typecheck },
    ]);
    const assets = join(UI, 'dist', 'assets');
    const rows = readdirSync(assets)
      .filter((f) => /\.(js|css)$/.test(f))
      .map((file) => {
        const bytes = readFileSync(join(assets, file));
        return {
          file,
          kB: statSync(join(assets, file)).size / 1024,
          'gzip kB': gzipSync(bytes).length / 1024,
        };
      });
    printTable('what the browser downloads (dist/assets)', rows);
  },
};

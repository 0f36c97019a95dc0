import 'reflect-metadata';
import { parseBenchArgs } from './support/args';

/**
 * `npm run bench -- <name> [--option value …]`. Each benchmark prints its figures beside a
 * baseline measured in the same run; results are recorded by hand in docs/benchmarks.md.
 */
export type BenchOptions = Record<string, string | boolean | undefined>;
type Bench = { describe: string; run: (options: BenchOptions) => Promise<void> };

const BENCHES: Record<string, () => Promise<Bench>> = {
  // name: () => import('./<name>.bench').then((m) => m.bench),
  ingest: () => import('./ingest.bench.js').then((m) => m.bench),
  segments: () => import('./segments.bench.js').then((m) => m.bench),
  'export-diff': () => import('./export-diff.bench.js').then((m) => m.bench),
  pipeline: () => import('./pipeline.bench.js').then((m) => m.bench),
  emulator: () => import('./emulator.bench.js').then((m) => m.bench),
  export: () => import('./export.bench.js').then((m) => m.bench),
  'ui-build': () => import('./ui-build.bench.js').then((m) => m.bench),
};

async function main(): Promise<void> {
  const [name, ...rest] = process.argv.slice(2);
  const load = name ? BENCHES[name] : undefined;
  if (!load) {
    console.error(`Usage: npm run bench -- <${Object.keys(BENCHES).join('|')}> [--option value]`);
    process.exit(2);
  }
  const bench = await load();
  const options = parseBenchArgs(rest);
  console.log(`# ${name}: ${bench.describe}`);
  await bench.run(options);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

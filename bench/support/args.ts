/**
 * Parses `--key value`, `--key=value` and bare `--flag` (true). node:util's parseArgs needs every
 * option declared to take `--key value`; benchmarks declare none, so this small parser does it.
 */
export function parseBenchArgs(args: string[]): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (let i = 0; i < args.length; i++) {
    const token = args[i];
    if (!token.startsWith('--')) throw new Error(`unexpected argument ${JSON.stringify(token)}`);
    const eq = token.indexOf('=');
    if (eq > 2) {
      out[token.slice(2, eq)] = token.slice(eq + 1);
    } else if (i + 1 < args.length && !args[i + 1].startsWith('--')) {
      out[token.slice(2)] = args[++i];
    } else {
      out[token.slice(2)] = true;
    }
  }
  return out;
}

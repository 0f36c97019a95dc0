import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * docs/destination-plugins.md quotes real code: every block that starts with
 * `// From <file>` must appear in that file line for line (`// …` marks a cut). Indentation
 * is ignored: Prettier re-indents code in Markdown.
 */
describe('the destination plugin guide', () => {
  const guide = readFileSync(join(ROOT, 'docs', 'destination-plugins.md'), 'utf8');
  const blocks = [...guide.matchAll(/```ts\n\/\/ From (\S+)\n([\s\S]*?)```/g)];

  it('has excerpts', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
  });

  it.each(blocks.map((b) => [b[1], b[2]] as const))('quotes %s as it is', (file, body) => {
    const source = readFileSync(join(ROOT, file), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    const parts = body.replace(/\n$/, '').split(/\n\/\/ …\n/);
    for (const part of parts) {
      const lines = part.split('\n').map((l) => l.trim());
      const found = source.some((_, i) => lines.every((line, k) => source[i + k] === line));
      expect({ file, excerpt: part, found }).toEqual({ file, excerpt: part, found: true });
    }
  });
});

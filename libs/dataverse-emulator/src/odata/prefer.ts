/** The `Prefer` header: `odata.maxpagesize=500, odata.track-changes, return=representation`. */
export class Preferences {
  private readonly values = new Map<string, string>();

  constructor(header: string | undefined) {
    for (const part of (header ?? '').split(',')) {
      const item = part.trim();
      if (!item) continue;
      const eq = item.indexOf('=');
      const name = (eq < 0 ? item : item.slice(0, eq)).trim().toLowerCase();
      const value =
        eq < 0
          ? ''
          : item
              .slice(eq + 1)
              .trim()
              .replace(/^"(.*)"$/, '$1');
      this.values.set(name, value);
    }
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  get returnRepresentation(): boolean {
    return this.values.get('return')?.toLowerCase() === 'representation';
  }

  get continueOnError(): boolean {
    return this.values.has('odata.continue-on-error');
  }

  get trackChanges(): boolean {
    return this.values.has('odata.track-changes');
  }
}

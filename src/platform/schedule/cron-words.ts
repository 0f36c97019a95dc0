/** The time units of a cron expression's parts, as the schedule form names them. */
const UNITS: Record<string, string> = {
  second: 'seconds',
  minute: 'minute',
  hour: 'hour',
  dayOfMonth: 'day of the month',
  month: 'month',
  dayOfWeek: 'weekday',
};

/**
 * The cron library's reason for refusing an expression, in the form's words: its messages name
 * internals ("Unknown alias: eve" for the word "every", "Field (dayOfWeek) …").
 */
export function cronProblemInWords(cron: string, libraryMessage: string | undefined): string {
  const message = libraryMessage ?? '';
  const parts = cron.trim().split(/\s+/).filter(Boolean);
  const alias = /^Unknown alias: (\w+)/.exec(message);
  if (alias) {
    const word = parts.find((p) => p.toLowerCase().includes(alias[1].toLowerCase())) ?? alias[1];
    return `"${word}" is not a month or weekday name (jan–dec, sun–sat)`;
  }
  if (/^Too (few|many) fields/.test(message)) return `it has ${parts.length} parts`;
  const field = /^Field \((\w+)\)/.exec(message);
  if (field) return `its ${UNITS[field[1]] ?? field[1]} part cannot be read`;
  const value = /^Field value \(([^)]*)\) is out of range/.exec(message);
  if (value) return `${value[1]} is out of range for its part`;
  return 'it cannot be read';
}

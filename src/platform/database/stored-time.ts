/** A timestamp column read as text (`2026-01-31 10:00:00[.123]`, UTC) → epoch ms (0 if odd). */
export function parseStoredTime(text: string | null): number {
  if (!text) return 0;
  const iso = text.includes('T') ? text : text.replace(' ', 'T');
  const ms = Date.parse(/[zZ]|[+-]\d\d(:?\d\d)?$/.test(iso) ? iso : `${iso}Z`);
  return Number.isNaN(ms) ? 0 : ms;
}

const MAX_NAME_LENGTH = 100;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The file name (without extension) for a segment: its name with anything but letters,
 * digits, `.`, `_` and `-` turned into `-` (so no path separators or hidden files), at most
 * 100 characters (graphemes); `segment-<id>` when nothing is left.
 */
export function segmentFileName(segment: { id: string; name: string }): string {
  const cleaned = segment.name
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}\p{M}._-]+/gu, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  const slug = Array.from(graphemes.segment(cleaned), (g) => g.segment)
    .slice(0, MAX_NAME_LENGTH)
    .join('')
    .replace(/[-.]+$/, '');
  return slug === '' ? `segment-${segment.id}` : slug;
}

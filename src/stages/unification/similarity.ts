import { distance } from 'fastest-levenshtein';

/**
 * Similarity of two normalized values for fuzzy conditions: normalized Levenshtein similarity,
 * `1 − editDistance(a, b) / max(|a|, |b|)` (lengths in UTF-16 code units), from 0 (nothing in
 * common) to 1 (equal). A threshold of 0.8 lets a 10-character value differ by 2 edits
 * (insertions, deletions, substitutions); 1 means equal. The distance comes from
 * `fastest-levenshtein` (a maintained, dependency-free implementation of Myers' bit-parallel
 * algorithm).
 */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const longest = Math.max(a.length, b.length);
  return 1 - distance(a, b) / longest;
}

/**
 * The best similarity two values of these lengths could reach (every extra character is one
 * edit): lets a block skip pairs whose lengths alone rule out the threshold.
 */
export function similarityBound(lengthA: number, lengthB: number): number {
  const longest = Math.max(lengthA, lengthB);
  if (longest === 0) return 1;
  return 1 - Math.abs(lengthA - lengthB) / longest;
}

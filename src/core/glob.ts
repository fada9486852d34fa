/**
 * IAM `StringLike` matching: `*` matches any run of characters (also none), `?` exactly one, and
 * everything else itself, case-sensitively (docs.aws.amazon.com/IAM/latest/UserGuide/
 * reference_policies_elements_condition_operators.html, "String condition operators").
 *
 * Hand-written on purpose: a RegExp built from a policy's text backtracks exponentially on
 * patterns such as `*a*a*a*a*b`. Here the pattern is cut at its stars into literal segments; the
 * first must match at the start, the last at the end, and each middle one at its leftmost place
 * after the previous (leftmost is always safe, since a star can absorb whatever lies between).
 * So the work is at most (text length x pattern length), with no backtracking across segments.
 */

function segmentAt(segment: string, text: string, at: number): boolean {
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charCodeAt(i);
    if (c !== 63 /* ? */ && c !== text.charCodeAt(at + i)) return false;
  }
  return true;
}

/** Leftmost position ≥ from where `segment` matches and ends by `limit`, or -1. */
function findSegment(segment: string, text: string, from: number, limit: number): number {
  if (!segment.includes('?')) {
    const i = text.indexOf(segment, from);
    return i >= 0 && i + segment.length <= limit ? i : -1;
  }
  for (let at = from; at + segment.length <= limit; at++) if (segmentAt(segment, text, at)) return at;
  return -1;
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

export function globMatch(pattern: string, text: string): boolean {
  const segments = pattern.split('*');
  if (segments.length === 1) return pattern.length === text.length && segmentAt(pattern, text, 0);
  const first = segments[0];
  const last = segments[segments.length - 1];
  // Characters every match needs; also keeps the prefix and the suffix from overlapping.
  let needed = 0;
  for (const s of segments) needed += s.length;
  if (needed > text.length) return false;
  if (!segmentAt(first, text, 0) || !segmentAt(last, text, text.length - last.length)) return false;
  let pos = first.length;
  const limit = text.length - last.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const s = segments[i];
    if (s.length === 0) continue;
    const at = findSegment(s, text, pos, limit);
    if (at < 0) return false;
    pos = at + s.length;
  }
  return true;
}

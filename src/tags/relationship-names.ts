/**
 * The character names a relationship tag names: `A/B` (romantic or sexual) and `A & B` (platonic), with any
 * number of members (`A/B/C`). A name that is not a pairing gives no names. Pure; imports nothing.
 */
export function parseRelationshipName(name: string): string[] {
  const trimmed = name.trim();
  let parts: string[];
  if (trimmed.includes('/')) parts = trimmed.split('/');
  else if (/\s&\s/.test(trimmed)) parts = trimmed.split(/\s&\s/);
  else return [];
  const names = parts.map((p) => p.replace(/\s+/g, ' ').trim());
  // "A/" or "/B" are not pairings; neither is a tag whose parts are all empty.
  if (names.some((n) => n === '')) return [];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const n of names) {
    const key = n.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      out.push(n);
    }
  }
  return out.length >= 2 ? out : [];
}

/** AO3's sortable name: lowercased, a leading article dropped ("The Hobbit" sorts under h). */
export function toSortableName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/^(the|a|an) /, '');
}

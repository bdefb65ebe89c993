// Family-role references ("her mother", "Your mom", "Caroline's father") resolved to named characters.
import { leadingWord } from './lexicons/words.ts';
import { FAMILY_ALTERNATION, FAMILY_ROLES } from './lexicons/family.ts';
import type { CharacterEntity, Gender, NameMention } from './characters.ts';
import type { QuoteSpan } from './quotes.ts';
import type { Attribution } from './speakers.ts';
import type { Span } from './structure.ts';

/** One family-role reference and what it was resolved to. */
export interface FamilyReference extends Span {
  text: string;
  role: string;
  /** Whose relative: a character id, or -1. */
  possessor: number;
  /** The named character meant, or -1. */
  target: number;
}

/** A family link the text establishes: `relative` is `possessor`'s `role`. */
export interface FamilyLink {
  possessor: number;
  relative: number;
  role: string;
  references: number;
}

const PRONOUN_REF = new RegExp(`\\b(her|his|my|your|their|our)\\s+(${FAMILY_ALTERNATION})(s?)\\b`, 'gi');
const APPOSITION_WINDOW = 4;
const VOTE_WINDOW = 700;

/** Finds family-role references, decides whose relative each is, and links them to named characters. */
export function resolveFamilyReferences(
  text: string,
  quotes: QuoteSpan[],
  attributions: Attribution[],
  characters: CharacterEntity[],
  mentions: NameMention[],
  relativeOf: RelativeFinder,
): { references: FamilyReference[]; links: FamilyLink[] } {
  const refs: FamilyReference[] = [];
  const quoteAt = (at: number): number => {
    let lo = 0;
    let hi = quotes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (quotes[mid]!.end <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo < quotes.length && quotes[lo]!.start <= at ? lo : -1;
  };
  const narration = mentions.filter((m) => !m.inQuote);
  const lastOfGender = (at: number, gender: Gender): number => {
    for (let i = upperBound(narration, at) - 1, steps = 0; i >= 0 && steps < 30; i--, steps++) {
      const c = narration[i]!.character;
      if (characters[c]!.gender === gender) return c;
    }
    return -1;
  };
  PRONOUN_REF.lastIndex = 0;
  for (let m = PRONOUN_REF.exec(text); m !== null; m = PRONOUN_REF.exec(text)) {
    const word = m[2]!.toLowerCase();
    const role = FAMILY_ROLES.get(word)!.role;
    const det = m[1]!.toLowerCase();
    const q = quoteAt(m.index);
    let possessor = -1;
    if (det === 'my') possessor = q >= 0 ? attributions[q]!.speaker : -1;
    else if (det === 'your') possessor = q >= 0 ? attributions[q]!.addressee : -1;
    else if (det === 'her' || det === 'his') possessor = lastOfGender(m.index, det === 'her' ? 'female' : 'male');
    refs.push({ start: m.index, end: m.index + m[0].length, text: m[0], role, possessor, target: -1 });
  }
  for (const mention of mentions) {
    if (!mention.possessive) continue;
    const after = /^['\u2019]?s?\s+([a-z]+)/.exec(text.slice(mention.end, mention.end + 24));
    if (after === null) continue;
    const info = FAMILY_ROLES.get(after[1]!.replace(/s$/, '')) ?? FAMILY_ROLES.get(after[1]!);
    if (info === undefined) continue;
    const end = mention.end + after[0].length;
    refs.push({
      start: mention.start,
      end,
      text: text.slice(mention.start, end),
      role: info.role,
      possessor: mention.character,
      target: -1,
    });
  }
  refs.sort((a, b) => a.start - b.start);

  // vote, per (possessor, role), for the named character the references point at
  const votes = new Map<string, Map<number, number>>();
  const starts = mentions.map((m) => m.start);
  for (const r of refs) {
    if (r.possessor < 0) continue;
    const gender = roleGender(r.role);
    const key = r.possessor + ':' + r.role;
    let table = votes.get(key);
    if (table === undefined) votes.set(key, (table = new Map()));
    const compatible = (c: number): boolean =>
      c !== r.possessor && (gender === 'unknown' || characters[c]!.gender === 'unknown' || characters[c]!.gender === gender);
    // apposition: "her mother, Liz" or "Liz, her mother"
    const i = lowerBound(starts, r.end);
    const next = mentions[i];
    const prev = mentions[lowerBound(starts, r.start) - 1];
    if (
      next !== undefined &&
      next.start - r.end <= APPOSITION_WINDOW &&
      /^,\s*$/.test(text.slice(r.end, next.start)) &&
      compatible(next.character)
    )
      table.set(next.character, (table.get(next.character) ?? 0) + 3);
    if (
      prev !== undefined &&
      r.start - prev.end <= APPOSITION_WINDOW &&
      /^,\s*$/.test(text.slice(prev.end, r.start)) &&
      compatible(prev.character)
    )
      table.set(prev.character, (table.get(prev.character) ?? 0) + 3);
    // proximity: the nearest compatible name on either side
    let best = -1;
    let bestDistance = VOTE_WINDOW;
    for (let k = i - 1, steps = 0; k >= 0 && steps < 12; k--, steps++) {
      const mm = mentions[k]!;
      const d = r.start - mm.end;
      if (d > VOTE_WINDOW) break;
      if (compatible(mm.character) && d < bestDistance) {
        best = mm.character;
        bestDistance = d;
        break;
      }
    }
    for (let k = i, steps = 0; k < mentions.length && steps < 12; k++, steps++) {
      const mm = mentions[k]!;
      const d = 2 * (mm.start - r.end); // a relative is named before more often than after
      if (d > bestDistance) break;
      if (compatible(mm.character)) {
        best = mm.character;
        break;
      }
    }
    if (best >= 0) table.set(best, (table.get(best) ?? 0) + 1);
  }
  const linkOf = new Map<string, number>();
  for (const [key, table] of votes) {
    const ranked = [...table].sort((a, b) => b[1] - a[1]);
    const [first, second] = ranked;
    const total = ranked.reduce((sum, [, v]) => sum + v, 0);
    if (first !== undefined && first[1] >= 2 && (second === undefined || first[1] > second[1]) && first[1] >= 0.4 * total)
      linkOf.set(key, first[0]);
  }
  // a parent or spouse with the family's title and surname (Mr. Bennet's wife is Mrs. Bennet) is
  // surer than the nearest name
  for (const r of refs) {
    if (r.possessor < 0 && !TITLED_KIN_ROLES.has(r.role)) continue;
    const titled = relativeOf(r.possessor, r.role);
    if (titled >= 0) linkOf.set(r.possessor + ':' + r.role, titled);
  }
  const links = new Map<string, FamilyLink>();
  for (const r of refs) {
    const target = linkOf.get(r.possessor + ':' + r.role);
    if (target === undefined) continue;
    r.target = target;
    const key = r.possessor + ':' + r.role;
    const link = links.get(key);
    if (link === undefined) links.set(key, { possessor: r.possessor, relative: target, role: r.role, references: 1 });
    else link.references++;
  }
  return { references: refs, links: [...links.values()] };
}

/** The title a parent or spouse of each role carries before the family's surname. */
export const ROLE_TITLES: ReadonlyMap<string, string> = new Map([
  ['mother', 'mrs'],
  ['wife', 'mrs'],
  ['father', 'mr'],
  ['husband', 'mr'],
]);

/** Family words that are also titles before a name ("Aunt Polly"), and the role they name. */
const FAMILY_TITLES: ReadonlyMap<string, string> = new Map([
  ['aunt', 'aunt'],
  ['auntie', 'aunt'],
  ['uncle', 'uncle'],
  ['granny', 'grandmother'],
  ['grandma', 'grandmother'],
  ['grandmother', 'grandmother'],
  ['grandpa', 'grandfather'],
  ['grandfather', 'grandfather'],
]);
const TITLED_KIN_ROLES: ReadonlySet<string> = new Set(FAMILY_TITLES.values());

/** Finds a character's titled relative: (possessor, role) → character id or -1 (possessor may be -1 for "Aunt Polly"). */
export type RelativeFinder = (possessor: number, role: string) => number;

/**
 * Indexes the cast by title and surname ("mrs bennet") once, so that each look-up for the one
 * other character named "Mrs. <surname>" (or "Mr.") for a possessor's mother or wife (father or
 * husband) costs a few map reads, however many references a long work has.
 */
export function titledRelatives(characters: CharacterEntity[]): RelativeFinder {
  const AMBIGUOUS = -2;
  const byTitledSurname = new Map<string, number>();
  // "Aunt Polly", "Uncle Silas": the one character the cast calls by a family title is anyone's
  // "aunt" there (a family word names its relation to the hero, whoever says it)
  const byFamilyTitle = new Map<string, number>();
  for (const c of characters) {
    for (const n of [c.name, ...c.aliases]) {
      const words = n.toLowerCase().split(/\s+/);
      const familyRole = words.length >= 2 ? FAMILY_TITLES.get(words[0]!) : undefined;
      if (familyRole !== undefined) {
        const had = byFamilyTitle.get(familyRole);
        byFamilyTitle.set(familyRole, had === undefined || had === c.id ? c.id : AMBIGUOUS);
      }
      if (words.length !== 2) continue;
      const title = leadingWord(n);
      if (title !== 'mr' && title !== 'mrs') continue;
      const key = title + ' ' + words[1]!;
      const had = byTitledSurname.get(key);
      byTitledSurname.set(key, had === undefined || had === c.id ? c.id : AMBIGUOUS);
    }
  }
  const memo = new Map<string, number>();
  return (possessor, role) => {
    const titledKin = byFamilyTitle.get(role);
    if (titledKin !== undefined) return titledKin >= 0 && titledKin !== possessor ? titledKin : -1;
    const title = ROLE_TITLES.get(role);
    if (title === undefined || byTitledSurname.size === 0 || possessor < 0) return -1;
    const memoKey = possessor + ':' + role;
    const known = memo.get(memoKey);
    if (known !== undefined) return known;
    let found = -1;
    const own = characters[possessor]!;
    for (const n of [own.name, ...own.aliases]) {
      const words = n.toLowerCase().split(/\s+/);
      if (words.length < 2) continue;
      const id = byTitledSurname.get(title + ' ' + words[words.length - 1]!);
      if (id === undefined || id === possessor) continue;
      if (id === AMBIGUOUS || (found >= 0 && found !== id)) {
        found = -1; // two of them: not sure which
        break;
      }
      found = id;
    }
    memo.set(memoKey, found);
    return found;
  };
}

/** The gender a family role implies. */
export function roleGender(role: string): Gender {
  for (const info of FAMILY_ROLES.values()) if (info.role === role) return info.gender;
  return 'unknown';
}

function upperBound(list: { start: number }[], at: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.start <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function lowerBound(a: number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

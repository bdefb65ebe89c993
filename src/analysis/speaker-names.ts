// Named characters for speakers that were found as noun phrases: "her mother said" is the
// character the family pass linked that reference to, "papa" the speaker's titled father, "the
// doctor said" the one Dr. in the cast, "the young man" the one man the scene names. A reader (and
// an archive's character tags) wants the person, not the phrase; where two people fit, the phrase
// stays (decision 051).
import { leadingWord, wordSet } from './lexicons/words.ts';
import type { CharacterEntity, NameMention } from './characters.ts';
import type { QuoteSpan } from './quotes.ts';
import { nounGender } from './speaker-coreference.ts';
import { upperBound } from './speaker-text.ts';
import { type RelativeFinder, ROLE_TITLES } from './family.ts';
import { FAMILY_ROLES } from './lexicons/family.ts';
import { titleForms } from './lexicons/titles.ts';
import { type Apposition, describedBy } from './speaker-appositions.ts';
import type { Attribution } from './speakers.ts';

/** The quotations a noun-phrase key speaks are given to `target` when none has a character yet. */
export function nameKey(attributions: Attribution[], key: string, target: number): void {
  for (const a of attributions) if (a.speaker < 0 && a.key === key) a.speaker = target;
}

/**
 * A quotation said by "her mother" is said by the character that family reference resolved to,
 * and so is every other quotation turn-taking gave the same speaker key.
 */
export function nameFamilySpeakers(attributions: Attribution[], references: readonly { start: number; target: number }[]): void {
  const targetAt = new Map<number, number>();
  for (const r of references) if (r.target >= 0) targetAt.set(r.start, r.target);
  const byKey = new Map<string, number>();
  for (const a of attributions) {
    if (a.speaker >= 0 || a.mention === null || a.key === null || !a.key.startsWith('n:')) continue;
    const target = targetAt.get(a.mention.start);
    if (target !== undefined && !byKey.has(a.key)) byKey.set(a.key, target);
  }
  for (const [key, target] of byKey) nameKey(attributions, key, target);
}

/**
 * A quotation said by "papa" (the word the other speaker called them by) is said by the other
 * speaker's father when the cast has one titled Mr. with that speaker's surname: Emma Woodhouse's
 * "papa" is Mr. Woodhouse.
 */
export function nameAddressedParents(attributions: Attribution[], relativeOf: RelativeFinder): void {
  for (let i = 0; i < attributions.length; i++) {
    const a = attributions[i]!;
    if (a.speaker >= 0 || a.key === null || !a.key.startsWith('n:')) continue;
    const role = FAMILY_ROLES.get(a.key.slice(2))?.role;
    if (role === undefined) continue;
    const other = [attributions[i - 1], attributions[i + 1]].find((x) => x !== undefined && x.speaker >= 0);
    if (other === undefined) continue;
    const parent = relativeOf(other.speaker, role);
    if (parent >= 0) nameKey(attributions, a.key, parent);
  }
}

/**
 * Names quotation `i` and the quotations of the same speaker key around it, each within a scene's
 * gap of the next: "the old man" who said "I am Dracula" is Dracula in this scene, while another
 * chapter's old man may be someone else.
 */
export function nameInScene(attributions: Attribution[], quotes: readonly QuoteSpan[], i: number, who: number): void {
  const key = attributions[i]!.key;
  attributions[i]!.speaker = who;
  for (const step of [-1, 1]) {
    let last = i;
    for (let j = i + step; j >= 0 && j < attributions.length; j += step) {
      const gap = step < 0 ? quotes[last]!.start - quotes[j]!.end : quotes[j]!.start - quotes[last]!.end;
      if (gap > EPITHET_RUN_GAP) break;
      const b = attributions[j]!;
      if (b.key !== key) continue;
      if (b.speaker < 0) b.speaker = who;
      last = j;
    }
  }
}

/** The characters that carry the title a noun names ("doctor": Dr. Archie, Doctor Brandt). */
function titledCharacters(characters: CharacterEntity[], noun: string): CharacterEntity[] {
  const titles = titleForms(noun);
  return titles === undefined ? [] : bearingTitle(characters, titles);
}

/** The characters whose name or an alias opens with one of `titles` (lower-cased, without the dot). */
function bearingTitle(characters: CharacterEntity[], titles: readonly string[]): CharacterEntity[] {
  return characters.filter((c) => [c.name, ...c.aliases].some((n) => titles.includes(leadingWord(n))));
}

/** "the doctor said" is the one character titled Dr. (or Doctor); with two or none, it stays a phrase. */
export function nameTitledSpeakers(attributions: Attribution[], characters: CharacterEntity[]): void {
  const keys = new Set<string>();
  for (const a of attributions)
    if (a.speaker < 0 && a.key !== null && titleForms(a.key.slice(2)) !== undefined && a.key.startsWith('n:')) keys.add(a.key);
  for (const key of keys) {
    const titled = titledCharacters(characters, key.slice(2));
    if (titled.length === 1) nameKey(attributions, key, titled[0]!.id);
  }
}

/** The parents read by their married title (ROLE_TITLES): "the mother" of a scene is its Mrs. Morel. */
const PARENT_NOUNS = new Set(['mother', 'father']);

const startsWithThe = (text: string, span: { start: number } | null): boolean =>
  span !== null && /^the\s/i.test(text.slice(span.start, span.start + 4));

/** The characters a parent noun may be ("the mother": the women titled Mrs.); null for other nouns. */
function parentTitled(characters: CharacterEntity[], noun: string): Set<number> | null {
  const title = PARENT_NOUNS.has(noun) ? ROLE_TITLES.get(noun) : undefined;
  return title === undefined ? null : new Set(bearingTitle(characters, [title]).map((c) => c.id));
}

/**
 * Nouns narration uses for someone it has named, instead of the name; fan fiction's own among them
 * ("the blond said", "the witch said"). Fans write "the brunette" or "the blonde" of a man as often
 * as of a woman, so those (and "the redhead") name no gender: they fit the one named character of
 * the scene, whoever; "the blond" and "the brunet" are men.
 */
const EPITHET_NOUNS = wordSet(
  'man woman gentleman lady girl boy child youth lad lass fellow maiden blond blonde brunet brunette redhead witch wizard',
);
/**
 * Family roles narration uses for a member of the scene it has named ("said his step-son", "my
 * brother"). A parent or grandparent is most often called by the role alone, never named, so a
 * named woman near "his mother said" is more likely someone else: those roles are left out, and
 * "the mother" is read by its married title instead (PARENT_NOUNS).
 */
const KIN_EPITHET_ROLES = new Set(['brother', 'sister', 'son', 'daughter', 'wife', 'husband', 'nephew', 'niece', 'uncle', 'aunt']);

/** True when narration may use `noun` for a character of the scene it has named. */
function isEpithetNoun(noun: string): boolean {
  return EPITHET_NOUNS.has(noun) || KIN_EPITHET_ROLES.has(FAMILY_ROLES.get(noun)?.role ?? '');
}

/** Quotations of one noun-phrase speaker this far apart (characters) are taken for different people. */
export const EPITHET_RUN_GAP = 1500;
/** How far before its first quotation the narration is read for the person behind a noun phrase. */
const EPITHET_LOOKBACK = 600;
/** How many quotations back one speaker's turn is read for whom it called. */
const TURN_QUOTES = 3;

/**
 * "the young man said" is the one named character of that gender the narration around those
 * quotations names, who is not the one he is talking to: an epithet for someone in the scene. A
 * description the narration set beside a name ("the artist himself, Basil Hallward") comes first.
 */
export function nameEpithetSpeakers(
  attributions: Attribution[],
  quotes: QuoteSpan[],
  characters: CharacterEntity[],
  mentions: NameMention[],
  appositions: readonly Apposition[],
  text: string,
): void {
  const runs = new Map<string, number[][]>();
  for (let i = 0; i < attributions.length; i++) {
    const a = attributions[i]!;
    if (a.speaker >= 0 || a.key === null || !a.key.startsWith('n:') || a.key.includes('@')) continue;
    const list = runs.get(a.key) ?? [];
    const last = list[list.length - 1];
    if (last !== undefined && quotes[i]!.start - quotes[last[last.length - 1]!]!.end <= EPITHET_RUN_GAP) last.push(i);
    else list.push([i]);
    runs.set(a.key, list);
  }
  if (runs.size === 0) return;
  const narration = mentions.filter((m) => !m.inQuote);
  const narrationStarts = Int32Array.from(narration, (m) => m.start);
  for (const [key, list] of runs) {
    const noun = key.slice(2);
    // an occupation ("the nurse", "the clergyman") is as often a new person as an old one; a
    // plain "the young man", "the girl" or "her brother" in a scene is how narration avoids
    // repeating a name, and so is a title ("the captain") when the scene names one of the cast's captains
    const titled =
      titleForms(noun) !== undefined ? new Set(titledCharacters(characters, noun).map((c) => c.id)) : parentTitled(characters, noun);
    const gender = nounGender(noun);
    const epithet = isEpithetNoun(noun);
    const byScene = epithet || titled !== null;
    const fits = (c: number): boolean => (titled !== null ? titled.has(c) : gender === 'unknown' || characters[c]!.gender === gender);
    for (const run of list) {
      // "said the mother" is the scene's Mrs.; "their father" (and the pronouns that go on with
      // it) is someone's, whom the family pass reads
      if (PARENT_NOUNS.has(noun) && !run.some((i) => startsWithThe(text, attributions[i]!.mention))) continue;
      const first = run[0]!;
      const last = run[run.length - 1]!;
      const from = quotes[first]!.start - EPITHET_LOOKBACK;
      const to = quotes[last]!.end;
      // not the one he is talking to: his neighbours' speakers, and whoever his own turns call by name
      const talkingTo = new Set<number>();
      for (const i of run) {
        if (attributions[i]!.vocative >= 0) talkingTo.add(attributions[i]!.vocative);
        for (const j of [i - 1, i + 1]) {
          const s = attributions[j]?.speaker ?? -1;
          if (s >= 0) talkingTo.add(s);
        }
      }
      // what the narration said of someone by name ("the artist himself, Basil Hallward") says
      // who the description is, occupation or not; a plain "the boy" may be another boy by the
      // next scene, so that description holds only in its own
      const since = epithet ? quotes[first]!.start - EPITHET_RUN_GAP : 0;
      const described = describedBy(appositions, noun, since, to);
      const g = described < 0 ? 'unknown' : characters[described]!.gender;
      if (described >= 0 && !talkingTo.has(described) && (gender === 'unknown' || g === 'unknown' || g === gender)) {
        for (const i of run) attributions[i]!.speaker = described;
        continue;
      }
      if (!byScene) continue;
      const fitting = (start: number, end: number): Set<number> => {
        const found = new Set<number>();
        for (let m = upperBound(narrationStarts, start - 1); m < narration.length && narration[m]!.start < end; m++) {
          const c = narration[m]!.character;
          if (fits(c) && !talkingTo.has(c)) found.add(c);
        }
        return found;
      };
      const scene = fitting(from, to);
      const namedSince = (): Set<number> => fitting(first > 0 ? quotes[first - 1]!.end : from, quotes[first]!.start);
      const who = scene.size <= 1 ? [...scene][0] : oneOfScene(scene, namedSince(), attributions, first, last);
      if (who === undefined) continue;
      for (const i of run) attributions[i]!.speaker = who;
    }
  }
}

/**
 * Of several characters of the scene an epithet fits, the one it names: the one the narration named
 * since the last quotation (`namedSince`: "Ron saw. … “Right,” said the redhead"), as a pronoun
 * would be; else the one the turn before called by name ("Nat." … "Nobody knows I'm in town," the
 * redhead said), unless the turn after calls another of them ("Nonsense, Mr. Rodney").
 */
function oneOfScene(
  scene: ReadonlySet<number>,
  namedSince: ReadonlySet<number>,
  attributions: readonly Attribution[],
  first: number,
  last: number,
): number | undefined {
  if (namedSince.size === 1) return [...namedSince][0];
  const called = [...calledBefore(attributions, first)].find((c) => scene.has(c));
  const next = attributions[last + 1]?.vocative ?? -1;
  return next >= 0 && next !== called && scene.has(next) ? undefined : called;
}

/** Whom the turn before quotation `first` called by name: its quotations back while one speaker says them. */
function calledBefore(attributions: readonly Attribution[], first: number): Set<number> {
  const called = new Set<number>();
  const speaker = attributions[first - 1]?.speaker ?? -1;
  for (let j = first - 1; j >= 0 && j >= first - TURN_QUOTES; j--) {
    const a = attributions[j]!;
    if (j < first - 1 && (speaker < 0 || a.speaker !== speaker)) break;
    if (a.vocative >= 0 && a.vocative !== speaker) called.add(a.vocative);
  }
  return called;
}

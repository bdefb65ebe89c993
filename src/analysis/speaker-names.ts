// Named characters for speakers that were found as noun phrases: "her mother said" is the
// character the family pass linked that reference to, "the doctor said" the one Dr. in the cast.
// A reader (and an archive's character tags) wants the person, not the phrase.
import type { CharacterEntity } from './characters.ts';
import { titledRelatives } from './family.ts';
import { FAMILY_ROLES } from './lexicons/family.ts';
import type { Attribution } from './speakers.ts';

/** The quotations a noun-phrase key speaks are given to `target` when none has a character yet. */
function nameKey(attributions: Attribution[], key: string, target: number): void {
  for (const a of attributions) if (a.speaker < 0 && a.key === key) a.speaker = target;
}

/**
 * A quotation said by "her mother" is said by the character that family reference resolved to,
 * and so is every other quotation turn-taking gave the same speaker key.
 */
export function nameFamilySpeakers(
  attributions: Attribution[],
  references: readonly { start: number; target: number }[],
  characters: CharacterEntity[],
): void {
  const targetAt = new Map<number, number>();
  for (const r of references) if (r.target >= 0) targetAt.set(r.start, r.target);
  const byKey = new Map<string, number>();
  for (const a of attributions) {
    if (a.speaker >= 0 || a.mention === null || a.key === null || !a.key.startsWith('n:')) continue;
    const target = targetAt.get(a.mention.start);
    if (target !== undefined && !byKey.has(a.key)) byKey.set(a.key, target);
  }
  for (const [key, target] of byKey) nameKey(attributions, key, target);
  nameAddressedParents(attributions, characters);
}

/**
 * A quotation said by "papa" (the word the other speaker called them by) is said by the other
 * speaker's father when the cast has one titled Mr. with that speaker's surname: Emma Woodhouse's
 * "papa" is Mr. Woodhouse.
 */
function nameAddressedParents(attributions: Attribution[], characters: CharacterEntity[]): void {
  const relativeOf = titledRelatives(characters);
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

/** A noun that is also a title, and the titles (without their dot) a name may carry for it. */
const TITLE_NOUNS: ReadonlyMap<string, readonly string[]> = new Map([
  ['doctor', ['dr', 'doctor']],
  ['professor', ['professor', 'prof']],
  ['captain', ['captain', 'capt']],
  ['colonel', ['colonel', 'col']],
  ['major', ['major']],
  ['general', ['general']],
  ['lieutenant', ['lieutenant', 'lt']],
  ['sergeant', ['sergeant', 'sgt']],
  ['admiral', ['admiral']],
  ['commander', ['commander']],
  ['inspector', ['inspector']],
  ['detective', ['detective']],
  ['sheriff', ['sheriff']],
  ['parson', ['parson', 'reverend', 'rev']],
  ['vicar', ['vicar', 'reverend', 'rev']],
  ['rector', ['rector', 'reverend', 'rev']],
  ['squire', ['squire']],
  ['king', ['king']],
  ['queen', ['queen']],
  ['prince', ['prince']],
  ['princess', ['princess']],
  ['duke', ['duke']],
  ['duchess', ['duchess']],
  ['count', ['count']],
  ['countess', ['countess']],
  ['baron', ['baron']],
  ['baroness', ['baroness']],
  ['earl', ['earl']],
]);

/** "the doctor said" is the one character titled Dr. (or Doctor); with two or none, it stays a phrase. */
export function nameTitledSpeakers(attributions: Attribution[], characters: CharacterEntity[]): void {
  const keys = new Set<string>();
  for (const a of attributions)
    if (a.speaker < 0 && a.key !== null && TITLE_NOUNS.has(a.key.slice(2)) && a.key.startsWith('n:')) keys.add(a.key);
  for (const key of keys) {
    const titles = TITLE_NOUNS.get(key.slice(2))!;
    const titled = characters.filter((c) =>
      [c.name, ...c.aliases].some((n) => titles.includes(n.split(/\s+/)[0]!.toLowerCase().replace(/\.$/, ''))),
    );
    if (titled.length === 1) nameKey(attributions, key, titled[0]!.id);
  }
}

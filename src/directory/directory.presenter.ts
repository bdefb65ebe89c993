import { encodeTagName, tagHref } from '../works/works.presenter.ts';
import type { FandomCountRow } from './directory.repo.ts';

/** AO3's name for the fandoms no wrangler has filed under a media yet. */
export const UNCATEGORIZED = 'Uncategorized Fandoms';
/** How many fandoms each media shows on /media. */
export const TOP_FANDOMS_SHOWN = 5;

export interface FandomView {
  name: string;
  href: string;
  works: number;
}

export interface MediaView {
  name: string;
  href: string;
  /** Fandoms with works the viewer may read. */
  fandomCount: number;
  top: FandomView[];
}

export interface LetterGroup {
  /** 'A'…'Z', another letter, or '#' for names that start with a digit or a sign. */
  letter: string;
  anchor: string;
  fandoms: FandomView[];
}

export function mediaHref(name: string): string {
  return `/media/${encodeTagName(name)}/fandoms`;
}

const toFandomView = (r: FandomCountRow): FandomView => ({ name: r.name, href: tagHref(r.name), works: r.works });

const byName = (a: FandomCountRow, b: FandomCountRow) =>
  a.sortable_name.localeCompare(b.sortable_name, 'en', { sensitivity: 'base' }) || a.name.localeCompare(b.name, 'en') || a.id - b.id;

/** The rows of one media (name as in the database, or UNCATEGORIZED), each fandom once. */
export function fandomsOfMedia(rows: readonly FandomCountRow[], media: string): FandomCountRow[] {
  const seen = new Set<number>();
  const mine = rows.filter((r) => (media === UNCATEGORIZED ? r.media_name === null : r.media_name === media));
  return mine.filter((r) => !seen.has(r.id) && seen.add(r.id));
}

/** /media: every media in the given order with its fandom count and its biggest fandoms; Uncategorized last. */
export function toMediaViews(media: ReadonlyArray<{ name: string }>, rows: readonly FandomCountRow[]): MediaView[] {
  const names = [...media.map((m) => m.name), UNCATEGORIZED];
  return names.map((name) => {
    const fandoms = fandomsOfMedia(rows, name);
    const top = [...fandoms].sort((a, b) => b.works - a.works || byName(a, b)).slice(0, TOP_FANDOMS_SHOWN);
    return { name, href: mediaHref(name), fandomCount: fandoms.length, top: top.map(toFandomView) };
  });
}

/**
 * The letter a fandom is filed under: the first of its sortable name ("The Witcher" under W),
 * accents dropped ("Ångström" under A, where an English reader looks for it).
 */
export function letterOf(sortableName: string): string {
  const first = sortableName.trim().normalize('NFD').replace(/\p{M}/gu, '').charAt(0).toLocaleUpperCase('en');
  return /\p{L}/u.test(first) ? first : '#';
}

/** A media's fandoms, alphabetical by sortable name, grouped by first letter ('#' first, as AO3 does). */
export function toLetterGroups(rows: readonly FandomCountRow[]): LetterGroup[] {
  const groups = new Map<string, FandomView[]>();
  for (const r of [...rows].sort(byName)) {
    const letter = letterOf(r.sortable_name || r.name);
    let list = groups.get(letter);
    if (!list) groups.set(letter, (list = []));
    list.push(toFandomView(r));
  }
  const letters = [...groups.keys()].sort((a, b) => (a === '#' ? -1 : b === '#' ? 1 : a.localeCompare(b, 'en')));
  return letters.map((letter, i) => ({
    letter,
    // Anchors from the position, so any letter (Å, Ж) makes a valid, unique id.
    anchor: letter === '#' ? 'letter-other' : /^[A-Z]$/.test(letter) ? `letter-${letter}` : `letter-${i}`,
    fandoms: groups.get(letter)!,
  }));
}

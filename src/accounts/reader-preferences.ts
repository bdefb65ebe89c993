import { createContext } from 'preact';

/*
 * A reader's choices about how works are shown (issue 13): the adult-content notice, archive
 * warnings and additional tags hidden behind a reveal, and the display settings. Accounts keep
 * them in reader_preferences; guests in the ff_prefs cookie, written and read by the functions
 * here so the page cache (src/web/page-cache.ts) can tell guests' pages apart from the raw
 * Cookie header alone.
 */

export const TEXT_SIZES = ['small', 'medium', 'large', 'x-large'] as const;
export const LINE_WIDTHS = ['narrow', 'medium', 'wide'] as const;
export const FONTS = ['serif', 'sans'] as const;
export const THEMES = ['system', 'light', 'dark'] as const;

export type TextSize = (typeof TEXT_SIZES)[number];
export type LineWidth = (typeof LINE_WIDTHS)[number];
export type Font = (typeof FONTS)[number];
export type Theme = (typeof THEMES)[number];

export interface ReaderPreferences {
  /** Open Mature, Explicit and Not Rated works without the notice first. */
  showAdult: boolean;
  hideWarnings: boolean;
  hideFreeforms: boolean;
  textSize: TextSize;
  lineWidth: LineWidth;
  font: Font;
  /** 'system' follows the device (prefers-color-scheme), as the site always did. */
  theme: Theme;
}

export const DEFAULT_PREFERENCES: Readonly<ReaderPreferences> = Object.freeze({
  showAdult: false,
  hideWarnings: false,
  hideFreeforms: false,
  textSize: 'medium',
  lineWidth: 'medium',
  font: 'serif',
  theme: 'system',
});

/** A guest's preferences, a year long. */
export const PREFERENCES_COOKIE = 'ff_prefs';
/** "Proceed" on the adult-content notice: remembered until the browser closes (no Max-Age). */
export const ADULT_CONSENT_COOKIE = 'ff_view_adult';

/** The ratings that get the notice unless the reader chose otherwise (AO3's rule). */
export const ADULT_RATINGS: ReadonlySet<string> = new Set(['Mature', 'Explicit', 'Not Rated']);

/** Whether a work of this rating is shown behind the adult-content notice for this reader. */
export function needsAdultNotice(rating: string, preferences: ReaderPreferences, consented: boolean): boolean {
  return ADULT_RATINGS.has(rating) && !preferences.showAdult && !consented;
}

const pick = <T extends string>(allowed: readonly T[], raw: string | undefined, fallback: T): T =>
  raw !== undefined && (allowed as readonly string[]).includes(raw) ? (raw as T) : fallback;

/**
 * The cookie's text: short keys and values only from fixed lists, so it needs no escaping and
 * every value a browser can send maps to one of a few hundred canonical strings.
 */
export function serializePreferences(p: ReaderPreferences): string {
  return [
    `adult-${p.showAdult ? 1 : 0}`,
    `warnings-${p.hideWarnings ? 1 : 0}`,
    `tags-${p.hideFreeforms ? 1 : 0}`,
    `size-${p.textSize}`,
    `width-${p.lineWidth}`,
    `font-${p.font}`,
    `theme-${p.theme}`,
  ].join('.');
}

/** Reads the cookie's text; anything unknown or missing takes its default, never an error. */
export function parsePreferences(raw: string | undefined): ReaderPreferences {
  if (!raw || raw.length > 200) return { ...DEFAULT_PREFERENCES };
  const fields = new Map<string, string>();
  for (const part of raw.split('.')) {
    const dash = part.indexOf('-');
    if (dash > 0) fields.set(part.slice(0, dash), part.slice(dash + 1));
  }
  const d = DEFAULT_PREFERENCES;
  return {
    showAdult: fields.get('adult') === '1',
    hideWarnings: fields.get('warnings') === '1',
    hideFreeforms: fields.get('tags') === '1',
    textSize: pick(TEXT_SIZES, fields.get('size'), d.textSize),
    lineWidth: pick(LINE_WIDTHS, fields.get('width'), d.lineWidth),
    font: pick(FONTS, fields.get('font'), d.font),
    theme: pick(THEMES, fields.get('theme'), d.theme),
  };
}

export function isDefaultPreferences(p: ReaderPreferences): boolean {
  return serializePreferences(p) === serializePreferences(DEFAULT_PREFERENCES);
}

/** One cookie's value from a raw Cookie header (the page cache runs before the cookie parser). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * What makes one guest's page differ from another's, from the raw Cookie header: '' for a guest
 * with the defaults and no "Proceed" (the page every such guest shares), else a canonical
 * string, so two guests with the same choices share a cached page and no guest gets a page
 * rendered for other choices.
 */
export function guestPageVariant(cookieHeader: string | undefined): string {
  // Most guests carry neither cookie: answer them without splitting the header (every cached hit asks).
  if (!cookieHeader || (!cookieHeader.includes(PREFERENCES_COOKIE) && !cookieHeader.includes(ADULT_CONSENT_COOKIE))) return '';
  const prefs = readCookie(cookieHeader, PREFERENCES_COOKIE);
  const consent = readCookie(cookieHeader, ADULT_CONSENT_COOKIE) === '1';
  const parsed = prefs === undefined ? undefined : parsePreferences(prefs);
  const prefsPart = parsed === undefined || isDefaultPreferences(parsed) ? '' : serializePreferences(parsed);
  if (prefsPart === '' && !consent) return '';
  return `${prefsPart}|${consent ? 'adult' : ''}`;
}

/** The attributes of <html> that the stylesheet's display settings key on (no inline style: the CSP forbids it). */
export function htmlDisplayAttributes(p: ReaderPreferences): Record<string, string> {
  return { 'data-theme': p.theme, 'data-text-size': p.textSize, 'data-line-width': p.lineWidth, 'data-font': p.font };
}

/**
 * The preferences of the page being rendered, for components deep in a page (a listing's
 * blurbs) that are not handed the page context. The layout provides it.
 */
export const ReaderPreferencesContext = createContext<ReaderPreferences>(DEFAULT_PREFERENCES);

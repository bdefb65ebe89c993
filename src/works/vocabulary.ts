/** AO3's fixed tag vocabularies, in the order its forms list them. */
export const RATINGS = ['Not Rated', 'General Audiences', 'Teen And Up Audiences', 'Mature', 'Explicit'] as const;
export const WARNINGS = [
  'Creator Chose Not To Use Archive Warnings',
  'Graphic Depictions Of Violence',
  'Major Character Death',
  'No Archive Warnings Apply',
  'Rape/Non-Con',
  'Underage Sex',
] as const;
export const CATEGORIES = ['F/F', 'F/M', 'Gen', 'M/M', 'Multi', 'Other'] as const;

export type Rating = (typeof RATINGS)[number];
export type Warning = (typeof WARNINGS)[number];
export type Category = (typeof CATEGORIES)[number];

/** The short symbol class and text AO3's blurbs show for the four required tags. */
export const RATING_SYMBOLS: Record<Rating, { code: string; abbr: string }> = {
  'Not Rated': { code: 'notrated', abbr: 'NR' },
  'General Audiences': { code: 'general', abbr: 'G' },
  'Teen And Up Audiences': { code: 'teen', abbr: 'T' },
  Mature: { code: 'mature', abbr: 'M' },
  Explicit: { code: 'explicit', abbr: 'E' },
};

/** Languages offered on the posting form (BCP 47 code → name in that language). */
export const LANGUAGES: ReadonlyArray<{ code: string; name: string }> = [
  { code: 'en', name: 'English' },
  { code: 'es', name: 'Español' },
  { code: 'fr', name: 'Français' },
  { code: 'de', name: 'Deutsch' },
  { code: 'it', name: 'Italiano' },
  { code: 'pt-BR', name: 'Português brasileiro' },
  { code: 'pt-PT', name: 'Português europeu' },
  { code: 'nl', name: 'Nederlands' },
  { code: 'pl', name: 'Polski' },
  { code: 'ru', name: 'Русский' },
  { code: 'uk', name: 'Українська' },
  { code: 'sv', name: 'Svenska' },
  { code: 'fi', name: 'Suomi' },
  { code: 'cs', name: 'Čeština' },
  { code: 'hu', name: 'Magyar' },
  { code: 'tr', name: 'Türkçe' },
  { code: 'ar', name: 'العربية' },
  { code: 'he', name: 'עברית' },
  { code: 'hi', name: 'हिन्दी' },
  { code: 'id', name: 'Bahasa Indonesia' },
  { code: 'vi', name: 'Tiếng Việt' },
  { code: 'th', name: 'ไทย' },
  { code: 'zh', name: '中文' },
  { code: 'ja', name: '日本語' },
  { code: 'ko', name: '한국어' },
];
export const LANGUAGE_CODES = new Set(LANGUAGES.map((l) => l.code));

/** The free-text tag fields of the posting form, by tag type. */
export const FREE_TAG_FIELDS = {
  fandoms: 'fandom',
  relationships: 'relationship',
  characters: 'character',
  freeforms: 'freeform',
} as const;

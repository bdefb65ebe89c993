import { z } from 'zod';
import { CATEGORIES, LANGUAGE_CODES, RATINGS, WARNINGS } from './vocabulary.ts';

export const MAX_TITLE = 255;
export const MAX_SUMMARY = 1250;
export const MAX_NOTES = 5000;
export const MAX_CHAPTER_CHARS = 510_000;
export const MAX_CHAPTERS = 999;
const MAX_TAG_LENGTH = 100;
const FORBIDDEN_TAG_CHARS = /[,^*<>{}=`\\%]/;

/** Splits a comma-separated tag field into trimmed, de-duplicated names (case-insensitively). */
export function splitTags(raw: string): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const part of raw.split(/[,，、]/)) {
    const name = part.replace(/\s+/g, ' ').trim();
    if (name && !seen.has(name.toLowerCase())) {
      seen.add(name.toLowerCase());
      tags.push(name);
    }
  }
  return tags;
}

const text = (max: number, what: string) =>
  z
    .string()
    .max(max, `${what} is too long: at most ${max.toLocaleString('en')} characters.`)
    .optional()
    .transform((v) => v ?? '');

const tagField = (what: string, max: number) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => splitTags(Array.isArray(v) ? v.join(',') : (v ?? '')))
    .superRefine((tags, ctx) => {
      if (tags.length > max) ctx.addIssue({ code: 'custom', message: `At most ${max} ${what} tags.` });
      for (const tag of tags) {
        if (tag.length > MAX_TAG_LENGTH) {
          ctx.addIssue({
            code: 'custom',
            message: `The tag “${tag.slice(0, 40)}…” is too long: tags are at most ${MAX_TAG_LENGTH} characters.`,
          });
        } else if (FORBIDDEN_TAG_CHARS.test(tag)) {
          ctx.addIssue({
            code: 'custom',
            message: `The tag “${tag}” contains a character tags cannot have (one of , ^ * < > { } = \` \\ %). Remove it.`,
          });
        }
      }
    });

const checkboxes = <T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.enum(values, { error: message })));

const checkbox = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => v !== undefined && v !== '' && v !== '0' && v !== 'false');

/** "Chapters: x / ?" — blank or "?" means the author does not know yet. */
const expectedChapters = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const raw = (v ?? '').trim();
    if (raw === '' || raw === '?') return null;
    if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_CHAPTERS) {
      ctx.addIssue({
        code: 'custom',
        message: `The expected number of chapters is a whole number from 1 to ${MAX_CHAPTERS}, or ? if you don't know yet.`,
      });
      return z.NEVER;
    }
    return Number(raw);
  });

/** The work's metadata, as on AO3's posting and edit forms. */
export const WorkMetadataSchema = z.object({
  title: z
    .string({ error: 'Give your work a title.' })
    .transform((v) => v.trim())
    .pipe(z.string().min(1, 'Give your work a title.').max(MAX_TITLE, `Titles are at most ${MAX_TITLE} characters.`)),
  summary: text(MAX_SUMMARY, 'The summary'),
  notes: text(MAX_NOTES, 'The notes'),
  end_notes: text(MAX_NOTES, 'The end notes'),
  rating: z.enum(RATINGS, { error: 'Choose a rating (choose Not Rated if you would rather not).' }),
  warnings: checkboxes(WARNINGS, 'Choose archive warnings from the list.').refine(
    (warnings) => warnings.length > 0,
    'Choose at least one archive warning, or Creator Chose Not To Use Archive Warnings.',
  ),
  categories: checkboxes(CATEGORIES, 'Choose categories from the list.'),
  fandoms: tagField('fandom', 75).pipe(z.array(z.string()).min(1, 'Add at least one fandom (separate several with commas).')),
  relationships: tagField('relationship', 75),
  characters: tagField('character', 75),
  freeforms: tagField('additional', 75),
  language: z
    .string()
    .optional()
    .transform((v) => v || 'en')
    .refine((v) => LANGUAGE_CODES.has(v), 'Choose a language from the list.'),
  expected_chapters: expectedChapters,
  restricted: checkbox,
  /** Show readers when the next scheduled chapter is due (src/works/next-chapter.repo.ts); absent (the API, imports) keeps it as it is. */
  show_next_chapter_date: checkbox.optional(),
});
export type WorkMetadataInput = z.infer<typeof WorkMetadataSchema>;

export const TextFormatSchema = z.enum(['plain', 'markdown', 'html'], { error: 'Choose plain text, Markdown or HTML.' });

/** A chapter's own fields; its text arrives as `body` or an uploaded file. */
export const ChapterFieldsSchema = z.object({
  chapter_title: text(MAX_TITLE, 'The chapter title'),
  chapter_summary: text(MAX_SUMMARY, 'The chapter summary'),
  chapter_notes: text(MAX_NOTES, 'The chapter notes'),
  chapter_end_notes: text(MAX_NOTES, 'The chapter end notes'),
  text_format: z
    .string()
    .optional()
    .transform((v) => v || 'plain')
    .pipe(TextFormatSchema),
  body: z
    .string()
    .max(MAX_CHAPTER_CHARS, `A chapter is at most ${MAX_CHAPTER_CHARS.toLocaleString('en')} characters: split it into chapters.`)
    .optional()
    .transform((v) => v ?? ''),
});
export type ChapterFieldsInput = z.infer<typeof ChapterFieldsSchema>;

export const PostActionSchema = z
  .enum(['post', 'draft', 'preview'])
  .optional()
  .transform((v) => v ?? 'post');

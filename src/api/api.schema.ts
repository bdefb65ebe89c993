import { z } from 'zod';
import type { WorkMetadataInput } from '../works/works.schema.ts';
import { ChapterFieldsSchema, MAX_CHAPTER_CHARS, MAX_CHAPTERS, TextFormatSchema, WorkMetadataSchema } from '../works/works.schema.ts';
import type { ChapterInput } from '../works/works.service.ts';

// The API takes JSON types (arrays, numbers, booleans) where the posting form takes strings.
// Each field checks its JSON type here, then goes through the form's own schema, so the rules
// and their messages (lengths, tag characters, the fixed vocabularies) live in one place.
const form = WorkMetadataSchema.shape;
const chapterForm = ChapterFieldsSchema.shape;

/**
 * Checks the JSON type with `source`, then runs the (mapped) value through the form's `target`
 * schema, keeping its messages. (zod's `pipe` would do, but its typing wants the target's input
 * to be exactly the source's output, and the form's inputs are wider: a string or an array.)
 */
function feed<A extends z.ZodType, B extends z.ZodType>(source: A, target: B, map: (value: z.output<A>) => unknown = (v) => v) {
  return source.transform((value, ctx): z.output<B> => {
    const result = target.safeParse(map(value));
    if (result.success) return result.data;
    for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    return z.NEVER;
  });
}

const typeMessage = (what: string, missing?: string) => (issue: { input?: unknown }) =>
  issue.input === undefined && missing ? missing : what;

/** A tag array: each item one tag (the form splits on commas, so the API refuses them). */
const tagArray = (field: string) =>
  z
    .array(
      z
        .string({ error: `Each ${field} tag is a string.` })
        .refine((tag) => !/[,，、]/.test(tag), 'Tags cannot contain commas: send each tag as its own array item.'),
      { error: `Send ${field} tags as an array of strings.` },
    )
    .optional();

const EXPECTED_CHAPTERS = `The expected number of chapters is a whole number from 1 to ${MAX_CHAPTERS}, or null if you do not know yet.`;

const stringField = (name: string) => z.string({ error: `The ${name} must be a string.` }).optional();

export const ApiChapterSchema = z.strictObject(
  {
    title: feed(stringField('chapter title'), chapterForm.chapter_title),
    summary: feed(stringField('chapter summary'), chapterForm.chapter_summary),
    notes: feed(stringField('chapter notes'), chapterForm.chapter_notes),
    end_notes: feed(stringField('chapter end notes'), chapterForm.chapter_end_notes),
    text: z
      .string({ error: typeMessage('The chapter text must be a string.', 'Add the text of the chapter.') })
      .max(MAX_CHAPTER_CHARS, `A chapter is at most ${MAX_CHAPTER_CHARS.toLocaleString('en')} characters: split it into chapters.`)
      .refine((text) => text.trim() !== '', 'Add the text of the chapter.'),
    format: TextFormatSchema,
  },
  { error: 'Send the first chapter as an object: {"text": "...", "format": "plain"}.' },
);

/** POST /api/v1/works: the work's metadata, whether to keep it a draft, and its first chapter. */
export const CreateWorkApiSchema = z.strictObject(
  {
    title: feed(z.string({ error: typeMessage('The title must be a string.', 'Give your work a title.') }), form.title),
    summary: feed(stringField('summary'), form.summary),
    notes: feed(stringField('notes'), form.notes),
    end_notes: feed(stringField('end notes'), form.end_notes),
    rating: form.rating,
    warnings: feed(tagArray('warning'), form.warnings),
    categories: feed(tagArray('category'), form.categories),
    fandoms: feed(
      tagArray('fandom').refine((tags) => tags?.some((t) => t.trim() !== ''), 'Add at least one fandom.'),
      form.fandoms,
    ),
    relationships: feed(tagArray('relationship'), form.relationships),
    characters: feed(tagArray('character'), form.characters),
    freeforms: feed(tagArray('additional'), form.freeforms),
    language: feed(stringField('language'), form.language),
    expected_chapters: feed(
      z
        .number({ error: EXPECTED_CHAPTERS })
        .int({ error: EXPECTED_CHAPTERS })
        .min(1, { error: EXPECTED_CHAPTERS })
        .max(MAX_CHAPTERS, { error: EXPECTED_CHAPTERS })
        .nullable()
        .optional(),
      form.expected_chapters,
      (n) => (n === null || n === undefined ? undefined : String(n)),
    ),
    restricted: feed(z.boolean({ error: 'restricted is true or false.' }).optional(), form.restricted, (v) => (v ? '1' : undefined)),
    draft: z.boolean({ error: 'draft is true or false.' }).optional().default(false),
    chapter: ApiChapterSchema,
  },
  { error: 'The request body must be a JSON object describing the work.' },
);
export type CreateWorkApiInput = z.infer<typeof CreateWorkApiSchema>;

export type FieldMessages = Record<string, string>;

/** One message per field, keyed by its JSON path ("title", "chapter.text"); "_body" for the whole. */
export function toFieldMessages(error: z.ZodError): FieldMessages {
  const fields: FieldMessages = {};
  for (const issue of error.issues) {
    const at = issue.path.filter((p): p is string => typeof p === 'string');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        fields[[...at, key].join('.')] ??= 'This field is not part of the API: check its spelling against /api/v1/openapi.json.';
      continue;
    }
    fields[at.length > 0 ? at.join('.') : '_body'] ??= issue.message;
  }
  return fields;
}

export type ParsedCreateWork =
  | { ok: true; meta: WorkMetadataInput; chapter: ChapterInput; draft: boolean }
  | { ok: false; fields: FieldMessages };

/** Validates a create-work body and maps it to the service's input. */
export function parseCreateWork(body: unknown): ParsedCreateWork {
  const parsed = CreateWorkApiSchema.safeParse(body);
  if (!parsed.success) return { ok: false, fields: toFieldMessages(parsed.error) };
  const { draft, chapter, ...meta } = parsed.data;
  return {
    ok: true,
    draft,
    meta,
    chapter: {
      title: chapter.title,
      summary: chapter.summary,
      notes: chapter.notes,
      endNotes: chapter.end_notes,
      text: chapter.text,
      format: chapter.format,
    },
  };
}

export const PAGE_SIZE = 20;
/** Requests a minute per token (or per address, for guests); an account's tokens together get ACCOUNT_CEILING_FACTOR times this. */
export const READS_PER_MINUTE = 300;
export const WRITES_PER_MINUTE = 30;
/** As on the browse pages: a page number of up to six digits. */
export const MAX_PAGE = 999_999;

/** The list's `page` query parameter: absent means 1; anything but a whole number from 1 is null. */
export function parsePage(raw: unknown): number | null {
  if (raw === undefined) return 1;
  if (typeof raw !== 'string' || !/^\d{1,6}$/.test(raw) || Number(raw) < 1) return null;
  return Number(raw);
}

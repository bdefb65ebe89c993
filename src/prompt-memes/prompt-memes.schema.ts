import { z } from 'zod';
import { splitTags } from '../works/works.schema.ts';

export const MAX_PROMPT_TITLE = 255;
export const MAX_PROMPT_DESCRIPTION = 10_000;
export const MAX_PROMPT_TAGS = 75;
const MAX_TAG_LENGTH = 100;
const FORBIDDEN_TAG_CHARS = /[,^*<>{}=`\\%]/;

/** The tag fields of the prompt form, and the archive tag type each names. */
export const PROMPT_TAG_FIELDS = {
  fandoms: 'fandom',
  characters: 'character',
  relationships: 'relationship',
  freeforms: 'freeform',
} as const;
export type PromptTagField = keyof typeof PROMPT_TAG_FIELDS;

// The same reading as the work form's tag fields: commas separate, case-insensitive duplicates drop.
const tagField = (what: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => splitTags(Array.isArray(v) ? v.join(',') : (v ?? '')))
    .superRefine((tags, ctx) => {
      if (tags.length > MAX_PROMPT_TAGS) ctx.addIssue({ code: 'custom', message: `At most ${MAX_PROMPT_TAGS} ${what} tags.` });
      for (const tag of tags) {
        if (tag.length > MAX_TAG_LENGTH)
          ctx.addIssue({
            code: 'custom',
            message: `The tag “${tag.slice(0, 40)}…” is too long: tags are at most ${MAX_TAG_LENGTH} characters.`,
          });
        else if (FORBIDDEN_TAG_CHARS.test(tag))
          ctx.addIssue({
            code: 'custom',
            message: `The tag “${tag}” contains a character tags cannot have (one of , ^ * < > { } = \` \\ %). Remove it.`,
          });
      }
    });

const checkbox = z
  .union([z.string(), z.boolean()])
  .optional()
  .transform((v) => v === true || v === '1' || v === 'on' || v === 'true');

export const PromptSchema = z.object({
  title: z
    .string({ error: 'Give the prompt a title.' })
    .trim()
    .min(1, 'Give the prompt a title.')
    .max(MAX_PROMPT_TITLE, `The title is too long: at most ${MAX_PROMPT_TITLE} characters.`),
  fandoms: tagField('fandom').pipe(z.array(z.string()).min(1, 'Add at least one fandom (separate several with commas).')),
  characters: tagField('character'),
  relationships: tagField('relationship'),
  freeforms: tagField('additional'),
  description: z
    .string()
    .max(MAX_PROMPT_DESCRIPTION, `The description is too long: at most ${MAX_PROMPT_DESCRIPTION.toLocaleString('en')} characters.`)
    .optional()
    .transform((v) => v ?? ''),
  anonymous: checkbox,
});
export type PromptInput = z.infer<typeof PromptSchema>;

export const MemeSettingsSchema = z.object({ prompts_open: checkbox });

export const FillSchema = z.object({
  work_id: z.coerce
    .number({ error: 'Give the number of your work (from its address, /works/123).' })
    .int('Give the number of your work (from its address, /works/123).')
    .positive('Give the number of your work (from its address, /works/123).'),
});

export const PROMPT_STATES = ['unclaimed', 'claimed', 'filled'] as const;
export type PromptState = (typeof PROMPT_STATES)[number];

/** The listing's filters, from the query string; anything unreadable is refused with how to write it. */
export const PromptFilterSchema = z.object({
  tag: tagField('included'),
  exclude_tag: tagField('excluded'),
  state: z
    .enum(['', ...PROMPT_STATES], { error: `state is one of ${PROMPT_STATES.join(', ')}, or empty for all.` })
    .optional()
    .transform((v) => (v ? v : null)),
  mine: z
    .enum(['', 'prompts', 'claims'], { error: 'mine is prompts (your prompts) or claims (prompts you claimed), or empty.' })
    .optional()
    .transform((v) => (v ? v : null)),
  page: z.coerce
    .number({ error: 'The page must be a whole number from 1.' })
    .int('The page must be a whole number from 1.')
    .min(1, 'The page must be a whole number from 1.')
    .max(10_000, 'The page must be a whole number from 1 to 10,000.')
    .optional()
    .transform((v) => v ?? 1),
});
export type PromptFilter = z.infer<typeof PromptFilterSchema>;

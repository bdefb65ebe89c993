import { z } from 'zod';
import { TAG_TYPES } from '../db/schema.ts';

const WRANGLED_TYPES = ['media', 'fandom', 'relationship', 'character', 'freeform'] as const;

export const WRANGLING_ACTIONS = [
  'canonical',
  'synonym',
  'merge',
  'add_fandoms',
  'remove_fandoms',
  'add_media',
  'remove_media',
  'add_meta',
  'remove_meta',
] as const;
export type WranglingAction = (typeof WRANGLING_ACTIONS)[number];

export const WRANGLING_ACTION_LABELS: Record<WranglingAction, string> = {
  canonical: 'Make canonical',
  synonym: 'Make synonyms of…',
  merge: 'Merge into… (moves their works)',
  add_fandoms: 'Add to fandoms…',
  remove_fandoms: 'Remove from fandoms…',
  add_media: 'Add fandoms to media…',
  remove_media: 'Remove fandoms from media…',
  add_meta: 'Add meta tag…',
  remove_meta: 'Remove meta tag…',
};

/** The wrangling list's filters, from the query string. */
export const WranglingListSchema = z.object({
  type: z.enum(WRANGLED_TYPES).default('freeform'),
  status: z.enum(['unwrangled', 'canonical', 'synonym', 'all']).default('unwrangled'),
  fandom: z.string().trim().max(150).default(''),
  q: z.string().trim().max(150).default(''),
  page: z.coerce.number().int().min(1).max(5000).default(1),
});
export type WranglingListInput = z.infer<typeof WranglingListSchema>;

const idList = z.preprocess(
  (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
  z
    .array(
      z
        .string()
        .regex(/^[1-9][0-9]{0,9}$/, 'Choose tags from the list.')
        .transform(Number),
    )
    .min(1, 'Tick at least one tag.')
    .max(500, 'Wrangle at most 500 tags at once.'),
);

/** One bulk wrangling action: the ticked tags, the action, and the tag names it takes (comma-separated). */
export const WranglingActionSchema = z
  .object({
    tag_ids: idList,
    action: z.enum(WRANGLING_ACTIONS, { error: 'Choose what to do with the ticked tags.' }),
    target: z.string().trim().max(1000, 'Name at most a few tags.').default(''),
  })
  .superRefine((v, ctx) => {
    if (v.action !== 'canonical' && splitNames(v.target).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['target'], message: 'Name the tag (or tags, separated by commas) this action takes.' });
    }
    if (
      (v.action === 'synonym' || v.action === 'merge' || v.action === 'add_meta' || v.action === 'remove_meta') &&
      splitNames(v.target).length > 1
    ) {
      ctx.addIssue({ code: 'custom', path: ['target'], message: 'Name one tag for this action.' });
    }
  });
export type WranglingActionInput = z.infer<typeof WranglingActionSchema>;

export const GrantRoleSchema = z.object({
  login: z.string().trim().min(1, 'Give the login of the user to make a tag wrangler.').max(100),
});

export const AutocompleteSchema = z.object({
  type: z.enum(TAG_TYPES, { error: `type must be one of ${TAG_TYPES.join(', ')}.` }),
  term: z.string().trim().min(1, 'term must not be empty.').max(150, 'term is too long.'),
});

/** A comma-separated list of tag names, trimmed, empties dropped. */
export function splitNames(raw: string): string[] {
  return raw
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
}

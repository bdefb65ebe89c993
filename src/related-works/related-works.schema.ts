import { z } from 'zod';
import type { Relation } from '../db/tables/gifts-and-related-works.ts';

export const RELATIONS = ['inspired_by', 'translation_of', 'remix_of', 'podfic_of'] as const satisfies readonly Relation[];

/** What the form's relation menu says. */
export const RELATION_LABELS: Record<Relation, string> = {
  inspired_by: 'Inspired by',
  translation_of: 'A translation of',
  remix_of: 'A remix of',
  podfic_of: 'A podfic of',
};

export const MAX_EXTERNAL_URL = 2000;
export const MAX_EXTERNAL_TITLE = 255;
export const MAX_EXTERNAL_CREATOR = 100;

const text = (max: number, what: string) =>
  z
    .string()
    .max(max, `${what} is too long: at most ${max.toLocaleString('en')} characters.`)
    .optional()
    .transform((v) => (v ?? '').replace(/\s+/g, ' ').trim());

const ids = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .pipe(z.array(z.string().regex(/^\d{1,9}$/, 'Choose links to remove from the list.')).max(100))
  .transform((v) => v.map(Number));

/**
 * The work form's related-work fields: one new link (a relation and the parent: an address or id
 * of a work here, or an address elsewhere with its title and creator) and links to remove.
 */
export const RelatedFieldsSchema = z
  .object({
    related_relation: z
      .string()
      .optional()
      .transform((v) => v ?? '')
      .pipe(z.enum(['', ...RELATIONS], { error: 'Choose how the works are related from the list.' })),
    related_url: text(MAX_EXTERNAL_URL, 'The related work’s address'),
    related_title: text(MAX_EXTERNAL_TITLE, 'The related work’s title'),
    related_creator: text(MAX_EXTERNAL_CREATOR, 'The related work’s creator'),
    related_remove: ids,
  })
  .superRefine((v, ctx) => {
    if (v.related_relation !== '' && v.related_url === '')
      ctx.addIssue({
        code: 'custom',
        path: ['related_url'],
        message: 'Give the related work’s address (https://…) or its id on this archive, or choose “Not related” above.',
      });
    if (v.related_relation === '' && v.related_url !== '')
      ctx.addIssue({
        code: 'custom',
        path: ['related_relation'],
        message: 'Choose how this work is related to the one you named (inspired by, a translation, a remix or a podfic).',
      });
  });
export type RelatedFieldsInput = z.infer<typeof RelatedFieldsSchema>;

/** The parent named on the form: a work here, or a page elsewhere. */
export type ParentRef = { kind: 'archive'; workId: number } | { kind: 'external'; url: string };

/**
 * Reads the parent's address: an id ("123"), a path ("/works/123"), an address of this archive
 * ("https://archive.example/works/123/chapters/4") or any other http(s) address. Undefined when
 * it is none of these (another scheme, not an address at all).
 */
export function parseParentRef(raw: string, baseUrl: string): ParentRef | undefined {
  const value = raw.trim();
  if (/^\d{1,9}$/.test(value)) return { kind: 'archive', workId: Number(value) };
  const path = /^\/works\/(\d{1,9})(?:[/?#]|$)/.exec(value);
  if (path) return { kind: 'archive', workId: Number(path[1]) };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password) return undefined;
  const own = new URL(baseUrl);
  const here = url.host === own.host ? /^\/works\/(\d{1,9})(?:\/|$)/.exec(url.pathname) : null;
  if (here) return { kind: 'archive', workId: Number(here[1]) };
  return { kind: 'external', url: url.href };
}

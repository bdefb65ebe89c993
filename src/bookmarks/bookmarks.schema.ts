import { z } from 'zod';

const checkbox = z
  .string()
  .optional()
  .transform((v) => v === '1');

export const bookmarkTags = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const seen = new Set<string>();
    const tags: string[] = [];
    for (const raw of (v ?? '').split(',')) {
      const tag = raw.trim().replace(/\s+/g, ' ');
      if (tag === '' || seen.has(tag.toLowerCase())) continue;
      if (tag.length > 100) {
        ctx.addIssue({ code: 'custom', message: 'Each tag can be at most 100 characters long.' });
        return z.NEVER;
      }
      seen.add(tag.toLowerCase());
      tags.push(tag);
    }
    if (tags.length > 30) {
      ctx.addIssue({ code: 'custom', message: 'A bookmark can have at most 30 tags.' });
      return z.NEVER;
    }
    return tags;
  });

const notes = z
  .string()
  .optional()
  .default('')
  .refine((v) => v.length <= 5000, 'Notes can be at most 5,000 characters long.');

export const BookmarkFormSchema = z.object({
  notes,
  tags: bookmarkTags,
  private: checkbox,
  rec: checkbox,
});
export type BookmarkFormInput = z.infer<typeof BookmarkFormSchema>;

export const ExternalBookmarkFormSchema = BookmarkFormSchema.extend({
  url: z
    .string({ error: 'Enter the address of the work.' })
    .trim()
    .min(1, 'Enter the address of the work.')
    .max(2000, 'That address is too long.')
    .refine((v) => {
      try {
        const u = new URL(v);
        return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
      } catch {
        return false;
      }
    }, 'Enter a web address starting with http:// or https://.'),
  title: z.string({ error: 'Enter the title.' }).trim().min(1, 'Enter the title.').max(255, 'Titles can be at most 255 characters long.'),
  creator: z.string({ error: 'Enter the creator.' }).trim().min(1, 'Enter the creator’s name.').max(255, 'That name is too long.'),
  fandom: z
    .string()
    .optional()
    .default('')
    .transform((v) => v.trim())
    .refine((v) => v.length <= 255, 'That fandom name is too long.'),
  summary: z
    .string()
    .optional()
    .default('')
    .refine((v) => v.length <= 5000, 'Summaries can be at most 5,000 characters long.'),
});
export type ExternalBookmarkInput = z.infer<typeof ExternalBookmarkFormSchema>;

export const BookmarkFilterSchema = z.object({
  tag: z.string().max(100).optional().catch(undefined),
  rec: z.enum(['1']).optional().catch(undefined),
  type: z.enum(['internal', 'series', 'external']).optional().catch(undefined),
  privacy: z.enum(['public', 'private']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
export type BookmarkFilter = z.infer<typeof BookmarkFilterSchema>;

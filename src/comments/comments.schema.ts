import { z } from 'zod';

export const COMMENT_MAX_CHARS = 10_000;

const optionalId = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v === '') return undefined;
    if (!/^[1-9][0-9]{0,9}$/.test(v) || Number(v) > 2_147_483_647) {
      ctx.addIssue({ code: 'custom', message: 'This form refers to something that does not exist. Reload the page and try again.' });
      return z.NEVER;
    }
    return Number(v);
  });

const body = z
  .string({ error: 'Write your comment.' })
  .refine((v) => v.trim() !== '', 'Write your comment: it is empty.')
  .refine(
    (v) => v.length <= COMMENT_MAX_CHARS,
    `Comments can be at most ${COMMENT_MAX_CHARS.toLocaleString('en')} characters long; shorten it.`,
  );

/** A new comment or reply from the work page, a reply page or a paragraph page. */
export const CommentFormSchema = z.object({
  comment: body,
  parent_id: optionalId,
  chapter_id: optionalId,
  paragraph: optionalId,
  return_to: z.string().optional(),
  guest_name: z.string().optional(),
  guest_email: z.string().optional(),
});
export type CommentFormInput = z.infer<typeof CommentFormSchema>;

/** What a guest adds: a name to show and an email (never shown) for the creator. */
export const GuestFieldsSchema = z.object({
  guest_name: z
    .string({ error: 'Enter a name to comment under.' })
    .trim()
    .min(1, 'Enter a name to comment under.')
    .max(100, 'Names can be at most 100 characters long.'),
  guest_email: z
    .string({ error: 'Enter your email address.' })
    .trim()
    .min(1, 'Enter your email address (it is not shown to anyone).')
    .max(254, 'That email address is too long.')
    .pipe(z.email('Enter an email address like name@example.org.')),
});

export const EditCommentSchema = z.object({ comment: body });

export const CommentSettingsSchema = z.object({
  guest_comments_allowed: z
    .string()
    .optional()
    .transform((v) => v === '1'),
  comments_moderated: z
    .string()
    .optional()
    .transform((v) => v === '1'),
});
export type CommentSettingsInput = z.infer<typeof CommentSettingsSchema>;

/** ?page= (and ?chapter=) of a page of comment threads; nonsense falls back to the first page / whole work. */
export const CommentPageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  chapter: z.coerce.number().int().min(1).max(2_147_483_647).optional().catch(undefined),
});

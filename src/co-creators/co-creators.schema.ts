import { z } from 'zod';

/** The invitation form: whom to invite, by pseud name, "pseud (login)" or login. */
export const InviteSchema = z.object({
  pseud: z
    .string({ error: 'Type the pseud or login of the creator to invite.' })
    .trim()
    .min(1, 'Type the pseud or login of the creator to invite.')
    .max(200, 'A pseud name is at most 200 characters. Type one pseud, as “name” or “name (login)”.'),
});
export type InviteInput = z.infer<typeof InviteSchema>;

/** Whether others may invite the user as a co-creator (a checkbox: absent means no). */
export const InvitationPreferenceSchema = z.object({
  allow: z.preprocess((v) => v === '1' || v === 'on' || v === 'true', z.boolean()),
});
export type InvitationPreferenceInput = z.infer<typeof InvitationPreferenceSchema>;

/** The orphaning form: keep the pseud's name on the orphaned works, or credit them to orphan_account. */
export const OrphanSchema = z.object({
  pseud: z.enum(['keep', 'orphan_account'], { error: 'Choose whether to keep your pseud’s name on the works or not.' }),
});
export type OrphanInput = z.infer<typeof OrphanSchema>;

/** Orphaning all one's series: a series has no pseud to keep, so the form only confirms (an empty post changes nothing). */
export const OrphanAllSeriesSchema = z.object({
  confirm: z.literal('yes', { error: 'Press “Yes, orphan all my series” to confirm.' }),
});

import { z } from 'zod';

export const REPORT_REASONS = [
  'Spam',
  'Harassment or abuse',
  'Content not tagged as the rules require',
  'Plagiarism',
  'Other violation of the content policy',
] as const;

export const ReportSchema = z.object({
  target_type: z.enum(['work', 'comment', 'user'], { error: 'Choose what you are reporting.' }),
  target_id: z.coerce.number({ error: 'The reported item is missing.' }).int().positive('The reported item is missing.').max(2_147_483_647),
  reason: z.enum(REPORT_REASONS, { error: 'Choose a reason.' }),
  details: z.string().trim().max(4000, 'Details are at most 4000 characters.').default(''),
});
export type ReportInput = z.infer<typeof ReportSchema>;

const reason = z
  .string({ error: 'Say why: the creator will see it.' })
  .trim()
  .min(1, 'Say why: the creator will see it.')
  .max(2000, 'Reasons are at most 2000 characters.');

export const HideWorkSchema = z.object({ reason });
export const DeleteWorkSchema = z.object({ reason });

export const SUSPENSION_DURATIONS = ['1', '7', '30', '365', 'permanent'] as const;

export const SuspendUserSchema = z.object({
  duration: z.enum(SUSPENSION_DURATIONS, { error: 'Choose how long.' }),
  message: z
    .string({ error: 'Write the message the user will see.' })
    .trim()
    .min(1, 'Write the message the user will see.')
    .max(2000, 'Messages are at most 2000 characters.'),
  reason: z.string().trim().max(2000, 'Reasons are at most 2000 characters.').default(''),
});
export type SuspendUserInput = z.infer<typeof SuspendUserSchema>;

export const NoteSchema = z.object({ note: z.string().trim().max(2000, 'Notes are at most 2000 characters.').default('') });

export const RoleSchema = z.object({
  role: z.enum(['moderator', 'tag_wrangler'], { error: 'Choose a role.' }),
  grant: z.enum(['grant', 'revoke'], { error: 'Grant or revoke.' }),
});

import { z } from 'zod';

export const SettingsSchema = z.object({
  name: z.string().trim().max(100, 'Names are at most 100 characters.').default(''),
  description: z.string().trim().max(2000, 'The description is at most 2000 characters.').default(''),
  signup_mode: z.enum(['open', 'invitations', 'closed'], { error: 'Choose how people join.' }),
  guest_comments: z.string().optional(),
  content_policy: z.string().trim().max(50_000, 'The content policy is at most 50,000 characters.').default(''),
  email_verification: z.enum(['auto', 'on', 'off'], { error: 'Choose whether new accounts confirm their email.' }).default('auto'),
});

export const InviteRequestSchema = z.object({
  email: z
    .string({ error: 'Enter your email.' })
    .trim()
    .min(1, 'Enter your email.')
    .max(254)
    .email('Enter an email address like name@example.org.'),
});

export const ReleaseSchema = z.object({
  count: z.coerce
    .number({ error: 'Enter how many.' })
    .int('Enter a whole number.')
    .min(1, 'Release at least one.')
    .max(1000, 'Release at most 1000 at a time.'),
});

export const AdminPostSchema = z.object({
  title: z
    .string({ error: 'Give the post a title.' })
    .trim()
    .min(1, 'Give the post a title.')
    .max(200, 'Titles are at most 200 characters.'),
  body: z.string({ error: 'Write the post.' }).trim().min(1, 'Write the post.').max(100_000, 'Posts are at most 100,000 characters.'),
});

export const AdminCommentSchema = z.object({
  comment: z.string({ error: 'Write a comment.' }).trim().min(1, 'Write a comment.').max(10_000, 'Comments are at most 10,000 characters.'),
});

export const UserLookupSchema = z.object({ q: z.string().trim().max(254).default('') });

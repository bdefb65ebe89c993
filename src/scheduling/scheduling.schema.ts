import { z } from 'zod';

/** A datetime-local value ("2030-01-31T18:00"), read as UTC. */
export const PostAtField = z
  .string({ error: 'Choose a date and time.' })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, 'Enter the date and time like 2030-01-31T18:00.')
  .transform((v) => new Date(`${v.length === 16 ? `${v}:00` : v}Z`))
  .refine((d) => !Number.isNaN(d.getTime()), 'That is not a real date.');

export const ScheduleSchema = z.object({ post_at: PostAtField });

/** How a time is shown back to the creator. */
export const shownTime = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

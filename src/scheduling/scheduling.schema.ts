import { z } from 'zod';

const withSeconds = (v: string) => (v.length === 16 ? `${v}:00` : v);
const toUtc = (v: string) => new Date(`${withSeconds(v)}Z`);

/** A datetime-local value ("2030-01-31T18:00"), read as UTC. */
export const PostAtField = z
  .string({ error: 'Choose a date and time.' })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, 'Enter the date and time like 2030-01-31T18:00.')
  // Date rolls "04-31" over to May 1st and "T24:00" to the next day: a real date reads back the same.
  .refine((v) => {
    const d = toUtc(v);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(withSeconds(v));
  }, 'That is not a real date.')
  .transform(toUtc);

export const ScheduleSchema = z.object({ post_at: PostAtField });

/** How a time is shown back to the creator. */
export const shownTime = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** A time as a datetime-local field's value in UTC ("2030-01-31T18:00"), to refill the field. */
export const inputTime = (d: Date) => d.toISOString().slice(0, 16);

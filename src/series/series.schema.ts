import { z } from 'zod';

const checkbox = z.preprocess((v) => v === '1' || v === 'on' || v === 'true', z.boolean());

export const SeriesFormSchema = z.object({
  title: z
    .string({ error: 'Give the series a title.' })
    .trim()
    .min(1, 'Give the series a title.')
    .max(240, 'Keep the title under 240 characters.'),
  summary: z.string().max(5000, 'Keep the summary under 5,000 characters.').default(''),
  notes: z.string().max(20000, 'Keep the notes under 20,000 characters.').default(''),
  complete: checkbox.default(false),
});
export type SeriesFormInput = z.infer<typeof SeriesFormSchema>;

export const AddWorkSchema = z.object({
  work_id: z.coerce.number({ error: 'Choose one of your works to add.' }).int().positive('Choose one of your works to add.'),
});
export type AddWorkInput = z.infer<typeof AddWorkSchema>;

export const RemoveWorkSchema = AddWorkSchema;

import { z } from 'zod';

export const SkinFormSchema = z.object({
  title: z
    .string({ error: 'Give the skin a title.' })
    .trim()
    .min(1, 'Give the skin a title, such as "Texting" or "Letters".')
    .max(100, 'The title can be at most 100 characters.'),
  css: z
    .string({ error: 'Write the CSS of the skin.' })
    .refine((s) => s.trim() !== '', 'Write the CSS of the skin, or start from an example.'),
  accept_dropped: z.string().optional(),
});
export type SkinFormInput = z.infer<typeof SkinFormSchema>;

/** The work's skin: none, one of the creator's skins (its id), or a copy of a shipped example ("example:texting"). */
export const SkinChoiceSchema = z.object({
  skin: z
    .string()
    .trim()
    .regex(/^(?:|\d{1,9}|example:[a-z]{1,20})$/, 'Choose a skin from the list.')
    .default(''),
});

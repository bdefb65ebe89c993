import { z } from 'zod';

export const MAX_GIFT_RECIPIENTS = 10;
export const MAX_RECIPIENT_NAME = 100;

/** Splits the form's "Gift this work to" field into trimmed names, each once (case-insensitively). */
export function splitRecipients(raw: string): string[] {
  const seen = new Set<string>();
  const names: string[] = [];
  for (const part of raw.split(',')) {
    const name = part.replace(/\s+/g, ' ').trim();
    if (name && !seen.has(name.toLowerCase())) {
      seen.add(name.toLowerCase());
      names.push(name);
    }
  }
  return names;
}

/** The recipients as the work form sends them: one comma-separated field. */
export const GiftsFieldSchema = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => splitRecipients(Array.isArray(v) ? v.join(',') : (v ?? '')))
  .superRefine((names, ctx) => {
    if (names.length > MAX_GIFT_RECIPIENTS)
      ctx.addIssue({ code: 'custom', message: `A work can be a gift to at most ${MAX_GIFT_RECIPIENTS} people at once.` });
    for (const name of names)
      if (name.length > MAX_RECIPIENT_NAME)
        ctx.addIssue({
          code: 'custom',
          message: `The name “${name.slice(0, 40)}…” is too long: a recipient's name is at most ${MAX_RECIPIENT_NAME} characters.`,
        });
  });
export type GiftsFieldInput = z.infer<typeof GiftsFieldSchema>;

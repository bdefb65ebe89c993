import { z } from 'zod';

const optionalNumber = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' || v === null || v === undefined ? undefined : v), schema.optional());

/** A place in a work: the chapter, and the paragraph (1-based) or the fraction of the page scrolled. */
export const PositionSchema = z.object({
  chapter_id: z.coerce
    .number({ error: 'Say which chapter you are reading.' })
    .int()
    .positive('Say which chapter you are reading.')
    .max(2_147_483_647),
  paragraph: optionalNumber(z.coerce.number().int().min(1).max(1_000_000)),
  fraction: optionalNumber(z.coerce.number().min(0).max(1)),
  return_to: z.string().max(500).optional(),
});
export type PositionInput = z.infer<typeof PositionSchema>;

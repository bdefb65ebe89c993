import { z } from 'zod';
import { CATEGORIES, RATINGS, WARNINGS } from '../works/vocabulary.ts';

export const PROPOSAL_KINDS = ['fandom', 'category', 'character', 'relationship', 'rating', 'warning', 'freeform'] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

const FORBIDDEN_TAG_CHARS = /[,^*<>{}=`\\%]/;

/** One proposal as the accept and dismiss buttons send it. */
export const ProposalActionSchema = z
  .object({
    kind: z.enum(PROPOSAL_KINDS, { error: 'This proposal is of an unknown kind. Reload the page and try again.' }),
    value: z
      .string({ error: 'This proposal has no value. Reload the page and try again.' })
      .transform((v) => v.replace(/\s+/g, ' ').trim())
      .pipe(
        z
          .string()
          .min(1, 'This proposal has no value. Reload the page and try again.')
          .max(100, 'Tags are at most 100 characters.')
          .refine((v) => !FORBIDDEN_TAG_CHARS.test(v), 'Tags cannot contain , ^ * < > { } = ` \\ or %.'),
      ),
  })
  .superRefine((p, ctx) => {
    if (p.kind === 'rating' && !(RATINGS as readonly string[]).includes(p.value))
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'Choose a rating from the list.' });
    if (p.kind === 'warning' && !(WARNINGS as readonly string[]).includes(p.value))
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'Choose an archive warning from the list.' });
    if (p.kind === 'category' && !(CATEGORIES as readonly string[]).includes(p.value))
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'Choose a category from the list (F/F, F/M, Gen, M/M, Multi, Other).' });
  });
export type ProposalActionInput = z.infer<typeof ProposalActionSchema>;

/** `kind:value` as the posting form's accept buttons carry it in the query string. */
export function parseProposalToken(raw: unknown): ProposalActionInput | undefined {
  if (typeof raw !== 'string') return undefined;
  const colon = raw.indexOf(':');
  if (colon < 0) return undefined;
  const parsed = ProposalActionSchema.safeParse({ kind: raw.slice(0, colon), value: raw.slice(colon + 1) });
  return parsed.success ? parsed.data : undefined;
}

/** An analysis job's payload (src/story-intelligence/enqueue.ts); jobs enqueued before `contentHash` existed carry only the chapter. */
export const AnalysisJobPayloadSchema = z.object({
  chapterId: z.number().int().positive(),
  contentHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});
export type AnalysisJobPayloadInput = z.infer<typeof AnalysisJobPayloadSchema>;

// What the exchange's forms may contain. The settings form has one group of fields per tag type;
// the sign-up form one field per prompt and tag type (comma-separated names) and an "any" box.
import { z } from 'zod';
import type { ExchangeRules, Prompt, TagSet } from './matching/index.ts';

/** The tag types an exchange can ask for, in the order forms show them. */
export const EXCHANGE_TAG_TYPES = ['fandom', 'relationship', 'character', 'freeform'] as const;
export type ExchangeTagType = (typeof EXCHANGE_TAG_TYPES)[number];

export const TAG_TYPE_LABELS: Record<ExchangeTagType, string> = {
  fandom: 'Fandoms',
  relationship: 'Relationships',
  character: 'Characters',
  freeform: 'Additional tags',
};

/** The most prompts of one kind a sign-up may have, and the most tags of one type in a tag set. */
export const MAX_PROMPTS = 10;
export const MAX_TAG_SET = 500;
/** The most tags of one type one participant may nominate. */
export const MAX_NOMINATIONS = 20;

/** The "nominations per person" field of one type: empty or missing is none. */
function readNominationLimit(record: Record<string, unknown>, type: ExchangeTagType): number | string {
  const raw = record[`nominations_${type}`];
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return 0;
  const text = String(raw).trim();
  const n = /^\d{1,3}$/.test(text) ? Number(text) : -1;
  if (n < 0 || n > MAX_NOMINATIONS)
    return `Nominations of ${TAG_TYPE_LABELS[type].toLowerCase()} per person must be a whole number from 0 to ${MAX_NOMINATIONS}.`;
  return n;
}

const whole = (label: string, min: number, max: number) =>
  z
    .string({ message: `${label} is missing.` })
    .trim()
    .regex(/^\d{1,3}$/, `${label} must be a whole number from ${min} to ${max}.`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${label} must be a whole number from ${min} to ${max}.`);

const utcDate = (label: string) =>
  z
    .string({ message: `${label} is missing.` })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, `${label} must be a date and time in UTC, such as 2030-01-31T18:00.`)
    .transform((s) => new Date(`${s}${s.length === 16 ? ':00' : ''}Z`))
    .refine((d) => !Number.isNaN(d.getTime()), `${label} is not a real date; write it as 2030-01-31T18:00.`);

const UTC_FORMAT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

/** An optional date field of the form: null when empty, a message when it is not a date and time in UTC. */
function readOptionalUtc(raw: unknown, label: string): Date | null | string {
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return null;
  const text = String(raw).trim();
  const date = new Date(`${text}${text.length === 16 ? ':00' : ''}Z`);
  if (!UTC_FORMAT.test(text) || Number.isNaN(date.getTime()))
    return `${label} must be a date and time in UTC, such as 2030-01-31T18:00, or empty.`;
  return date;
}

/**
 * The nomination window of the settings form: each end optional (an empty opening is "from now",
 * an empty closing is "when sign-ups close"), and an error per field it breaks. Nominations close by
 * the time sign-ups close at the latest, because a tag approved later could no longer be chosen.
 */
export function readNominationWindow(
  record: Record<string, unknown>,
  signUpsCloseAt: Date,
  takesNominations: boolean,
): { opensAt: Date | null; closesAt: Date | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const opens = readOptionalUtc(record.nominations_open_at, 'The nomination opening');
  const closes = readOptionalUtc(record.nominations_close_at, 'The nomination closing');
  if (typeof opens === 'string') errors.nominations_open_at = opens;
  if (typeof closes === 'string') errors.nominations_close_at = closes;
  const opensAt = opens instanceof Date ? opens : null;
  const closesAt = closes instanceof Date ? closes : null;
  if (closesAt && closesAt > signUpsCloseAt)
    errors.nominations_close_at = 'Nominations must close by the time sign-ups close, so sign-ups can still choose the tags approved.';
  else if (opensAt && closesAt && closesAt <= opensAt) errors.nominations_close_at = 'Nominations must close after they open.';
  else if (opensAt && !closesAt && opensAt >= signUpsCloseAt)
    errors.nominations_open_at = 'Nominations must open before sign-ups close (an empty closing means they close with sign-ups).';
  if ((opensAt || closesAt) && !takesNominations && !errors.nominations_open_at)
    errors.nominations_open_at =
      'Set how many tags of some type each person may nominate, or leave the nomination dates empty: this exchange takes no nominations.';
  return { opensAt, closesAt, errors };
}

/** Comma-separated tag names, trimmed, empties and repeats (whatever their case) dropped: a repeat is a slip, not a wish. */
export function splitTags(raw: unknown): string[] {
  if (typeof raw !== 'string') return [];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of raw.split(',')) {
    const tag = part.trim().replace(/\s+/g, ' ');
    if (tag === '' || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    out.push(tag);
  }
  return out;
}

/** The per-type fields' checks, run in the settings schema's refinement (their names are built from the types). */
const typeFieldSchemas = (type: ExchangeTagType) => ({
  [`required_${type}`]: whole(`Matches required in ${TAG_TYPE_LABELS[type].toLowerCase()}`, 0, 5),
  [`min_${type}`]: whole(`The fewest ${TAG_TYPE_LABELS[type].toLowerCase()} per prompt`, 0, 10),
  [`max_${type}`]: whole(`The most ${TAG_TYPE_LABELS[type].toLowerCase()} per prompt`, 0, 10),
});

/** One tag type's settings read from the form (numbers already checked by the schema). */
export function readTypeSettings(record: Record<string, unknown>, type: ExchangeTagType) {
  const num = (field: string) => {
    const parsed = typeFieldSchemas(type)[field]!.safeParse(record[field]);
    return parsed.success ? parsed.data : 0;
  };
  return {
    tags: splitTags(record[`tags_${type}`]),
    required: num(`required_${type}`),
    min: num(`min_${type}`),
    max: num(`max_${type}`),
    allowAny: typeof record[`any_${type}`] === 'string' && record[`any_${type}`] !== '',
  };
}

export const ExchangeSettingsSchema = z
  .object({
    opens_at: utcDate('The sign-up opening'),
    closes_at: utcDate('The sign-up closing'),
    due_at: z.string().trim().optional(),
    nominations_open_at: z.string().trim().optional(),
    nominations_close_at: z.string().trim().optional(),
    requests_min: whole('The fewest requests', 1, MAX_PROMPTS),
    requests_max: whole('The most requests', 1, MAX_PROMPTS),
    offers_min: whole('The fewest offers', 1, MAX_PROMPTS),
    offers_max: whole('The most offers', 1, MAX_PROMPTS),
    required_request_matches: whole('Requests a giver must match', 1, MAX_PROMPTS),
    forbid_mutual: z.string().optional(),
  })
  .passthrough()
  .superRefine((v, ctx) => {
    if (v.closes_at <= v.opens_at) ctx.addIssue({ code: 'custom', path: ['closes_at'], message: 'Sign-ups must close after they open.' });
    if (v.requests_max < v.requests_min)
      ctx.addIssue({ code: 'custom', path: ['requests_max'], message: 'The most requests cannot be fewer than the fewest.' });
    if (v.offers_max < v.offers_min)
      ctx.addIssue({ code: 'custom', path: ['offers_max'], message: 'The most offers cannot be fewer than the fewest.' });
    if (v.required_request_matches > v.requests_min)
      ctx.addIssue({
        code: 'custom',
        path: ['required_request_matches'],
        message: 'A giver cannot be asked to match more requests than a sign-up must make; lower it or raise the fewest requests.',
      });
    const record = v as Record<string, unknown>;
    let used = 0;
    let requiredSomewhere = false;
    let takesNominations = false;
    for (const type of EXCHANGE_TAG_TYPES) {
      let numbersOk = true;
      for (const [field, schema] of Object.entries(typeFieldSchemas(type))) {
        const parsed = schema.safeParse(record[field]);
        if (!parsed.success) {
          numbersOk = false;
          ctx.addIssue({ code: 'custom', path: [field], message: parsed.error.issues[0]!.message });
        }
      }
      if (typeof record[`tags_${type}`] === 'string' && (record[`tags_${type}`] as string).length > 20_000)
        ctx.addIssue({ code: 'custom', path: [`tags_${type}`], message: `The ${type} tags are too long; list at most ${MAX_TAG_SET}.` });
      const limit = readNominationLimit(record, type);
      if (typeof limit === 'string') ctx.addIssue({ code: 'custom', path: [`nominations_${type}`], message: limit });
      if (!numbersOk) continue;
      const { tags, min, max, required } = readTypeSettings(record, type);
      if (typeof limit === 'number' && limit > 0 && tags.length > 0) takesNominations = true;
      if (typeof limit === 'number' && limit > 0 && tags.length === 0)
        ctx.addIssue({
          code: 'custom',
          path: [`nominations_${type}`],
          message: `List at least one ${type} tag before taking ${type} nominations, or set the nominations to 0.`,
        });
      if (tags.length > MAX_TAG_SET)
        ctx.addIssue({ code: 'custom', path: [`tags_${type}`], message: `List at most ${MAX_TAG_SET} ${type} tags.` });
      if (tags.length === 0) {
        if (required > 0)
          ctx.addIssue({ code: 'custom', path: [`tags_${type}`], message: `List the ${type} tags, or require 0 ${type} matches.` });
        continue;
      }
      used++;
      if (required > 0) requiredSomewhere = true;
      if (max < min)
        ctx.addIssue({ code: 'custom', path: [`max_${type}`], message: `The most ${type} tags cannot be fewer than the fewest.` });
      if (max === 0) ctx.addIssue({ code: 'custom', path: [`max_${type}`], message: `Allow at least one ${type} tag per prompt.` });
    }
    // A broken sign-up closing is reported on its own field; the window is checked against a real one.
    if (v.closes_at instanceof Date && !Number.isNaN(v.closes_at.getTime()))
      for (const [field, message] of Object.entries(readNominationWindow(record, v.closes_at, takesNominations).errors))
        ctx.addIssue({ code: 'custom', path: [field], message });
    if (used === 0)
      ctx.addIssue({ code: 'custom', path: ['tags_fandom'], message: 'List the tags of at least one type, such as fandoms.' });
    else if (!requiredSomewhere)
      ctx.addIssue({
        code: 'custom',
        path: ['required_fandom'],
        message: 'Require at least one matching tag in one type (usually fandom), or every sign-up matches everyone.',
      });
  });
export type ExchangeSettingsInput = z.infer<typeof ExchangeSettingsSchema>;

/** The settings as the matcher's rules, the tag set, and the window. */
export function toExchangeDefinition(input: ExchangeSettingsInput): {
  rules: ExchangeRules;
  tagSet: Record<string, string[]>;
  nominationLimits: Record<string, number>;
  /** The nomination window's ends as set (null: from the making, and until sign-ups close). */
  nominationsOpenAt: Date | null;
  nominationsCloseAt: Date | null;
  opensAt: Date;
  closesAt: Date;
} {
  const record = input as Record<string, unknown>;
  const tagTypes: Record<string, ExchangeRules['tagTypes'][string]> = {};
  const tagSet: Record<string, string[]> = {};
  const nominationLimits: Record<string, number> = {};
  for (const type of EXCHANGE_TAG_TYPES) {
    const { tags, required, min, max, allowAny } = readTypeSettings(record, type);
    if (tags.length === 0) continue;
    tagSet[type] = tags;
    const limit = readNominationLimit(record, type);
    if (typeof limit === 'number' && limit > 0) nominationLimits[type] = limit;
    tagTypes[type] = { required, allowAny, min, max };
  }
  return {
    rules: {
      tagTypes,
      requests: { min: input.requests_min, max: input.requests_max },
      offers: { min: input.offers_min, max: input.offers_max },
      requiredRequestMatches: input.required_request_matches,
      forbidMutual: typeof input.forbid_mutual === 'string' && input.forbid_mutual !== '',
    },
    tagSet,
    nominationLimits,
    ...windowFieldsOf(record, input.closes_at, Object.keys(nominationLimits).length > 0),
    opensAt: input.opens_at,
    closesAt: input.closes_at,
  };
}

function windowFieldsOf(record: Record<string, unknown>, signUpsCloseAt: Date, takesNominations: boolean) {
  const { opensAt, closesAt } = readNominationWindow(record, signUpsCloseAt, takesNominations);
  return { nominationsOpenAt: opensAt, nominationsCloseAt: closesAt };
}

export type PromptKind = 'request' | 'offer';

/** The field of one prompt's tags of one type: request_1_fandom. */
export const promptField = (kind: PromptKind, index: number, type: string) => `${kind}_${index + 1}_${type}`;

/**
 * Reads a sign-up form into prompts: up to the rules' most prompts of each kind, skipping blank
 * ones (a slot with no tags and no "any"), so a sign-up of two requests leaves the third blank.
 */
export function readPrompts(body: Record<string, unknown>, rules: ExchangeRules, kind: PromptKind): Prompt[] {
  const max = kind === 'request' ? rules.requests.max : rules.offers.max;
  const prompts: Prompt[] = [];
  for (let i = 0; i < max; i++) {
    const tags: Record<string, string[]> = {};
    const any: string[] = [];
    for (const type of Object.keys(rules.tagTypes)) {
      const field = promptField(kind, i, type);
      const names = splitTags(body[field]);
      if (names.length > 0) tags[type] = names;
      if (typeof body[`${field}_any`] === 'string' && body[`${field}_any`] !== '') any.push(type);
    }
    if (Object.keys(tags).length === 0 && any.length === 0) continue;
    prompts.push(any.length > 0 ? { tags, any } : { tags });
  }
  return prompts;
}

/** The form's fields for stored prompts (the edit form). */
export function promptsToFields(prompts: readonly Prompt[], kind: PromptKind): Record<string, string> {
  const out: Record<string, string> = {};
  prompts.forEach((p, i) => {
    for (const [type, names] of Object.entries(p.tags)) out[promptField(kind, i, type)] = names.join(', ');
    for (const type of p.any ?? []) out[`${promptField(kind, i, type)}_any`] = '1';
  });
  return out;
}

export type { TagSet };

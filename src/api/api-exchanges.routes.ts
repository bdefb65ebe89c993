// /api/v1 operations of gift exchanges (decision 046): the exchange and its tag set, its settings,
// one's own sign-up, one's assignments (defaulting, posting for one), tag nominations (nominating,
// withdrawing, the maintainers' review of many at once), and the maintainers' review,
// matching, hand changes, sending and pinch hits. Each calls the exchanges service function the
// page calls, after the page's form schema (ExchangeSettingsSchema, readPrompts) read the body.
// Documented in api-exchanges.openapi.ts; every status listed there is produced by api-exchanges.routes.test.ts.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  EXCHANGE_TAG_TYPES,
  ExchangeSettingsSchema,
  MAX_PROMPTS,
  promptsToFields,
  readPrompts,
  splitTags,
} from '../exchanges/exchanges.schema.ts';
import * as service from '../exchanges/exchanges.service.ts';
import type { ExchangeRules, Prompt } from '../exchanges/matching/index.ts';
import { HttpError } from '../web/errors.tsx';
import type { Viewer } from '../web/viewer.ts';
import { type ApiOperationDeps, ApiInvalidError, idOf, jsonId, operation, parseBody, parseForm, sendJson, viewerIn } from './api-kit.ts';

type NameReq = { Params: { name: string } };
type AssignmentReq = { Params: { name: string; id: string } };

const tagType = z.enum(EXCHANGE_TAG_TYPES, { error: `A tag type is one of ${EXCHANGE_TAG_TYPES.join(', ')}.` });
const whole = (name: string) => z.number({ error: `${name} is a whole number.` }).int({ error: `${name} is a whole number.` });
const tagList = (name: string) =>
  z
    .array(z.string({ error: `Each of ${name} is a tag name.` }).max(200, { error: `A tag name in ${name} is too long.` }), {
      error: `${name} is a list of tag names.`,
    })
    .max(500, { error: `${name} has too many tags.` });

/** The settings form's fields as JSON: numbers for numbers, lists for tags, true/false for boxes. */
export const ExchangeSettingsApiSchema = z.strictObject(
  {
    opens_at: z.string({ error: 'opens_at is a date and time in UTC, such as 2030-01-31T18:00.' }),
    closes_at: z.string({ error: 'closes_at is a date and time in UTC, such as 2030-01-31T18:00.' }),
    due_at: z.string({ error: 'due_at is a date and time in UTC, or null.' }).nullable().optional(),
    nominations_open_at: z.string({ error: 'nominations_open_at is a date and time in UTC, or null.' }).nullable().optional(),
    nominations_close_at: z.string({ error: 'nominations_close_at is a date and time in UTC, or null.' }).nullable().optional(),
    requests_min: whole('requests_min'),
    requests_max: whole('requests_max'),
    offers_min: whole('offers_min'),
    offers_max: whole('offers_max'),
    required_request_matches: whole('required_request_matches'),
    forbid_mutual: z.boolean({ error: 'forbid_mutual is true or false.' }).optional(),
    ...Object.fromEntries(
      EXCHANGE_TAG_TYPES.flatMap((type) => [
        [`tags_${type}`, tagList(`tags_${type}`).optional()],
        [`required_${type}`, whole(`required_${type}`).optional()],
        [`min_${type}`, whole(`min_${type}`).optional()],
        [`max_${type}`, whole(`max_${type}`).optional()],
        [`any_${type}`, z.boolean({ error: `any_${type} is true or false.` }).optional()],
        [`nominations_${type}`, whole(`nominations_${type}`).optional()],
      ]),
    ),
  },
  { error: 'Send {"opens_at": "2030-01-01T00:00", "closes_at": …, "tags_fandom": ["…"], …}.' },
);

const prompt = z.strictObject(
  {
    tags: z.partialRecord(tagType, tagList('tags')),
    any: z.array(tagType, { error: 'any is a list of tag types.' }).optional(),
  },
  { error: 'A prompt is {"tags": {"fandom": ["…"]}, "any": ["character"]}.' },
);
const prompts = (name: string) =>
  z.array(prompt, { error: `${name} is a list of prompts.` }).max(MAX_PROMPTS, { error: `${name} has more than ${MAX_PROMPTS} prompts.` });
export const ExchangeSignUpApiSchema = z.strictObject(
  { requests: prompts('requests'), offers: prompts('offers') },
  { error: 'Send {"requests": [{"tags": {"fandom": ["…"]}}], "offers": [ … ]}.' },
);
export const MatchingChangeApiSchema = z.strictObject(
  {
    kind: z.enum(['remove', 'swap', 'reassign'], { error: 'kind is remove, swap or reassign.' }),
    giver: z.string({ error: 'giver is a login.' }),
    other: z.string({ error: 'other is a login.' }).optional(),
  },
  { error: 'Send {"kind": "reassign", "giver": "login", "other": "recipient login"}.' },
);
export const RecipientPinchHitApiSchema = z.strictObject(
  { recipient: z.string({ error: 'recipient is a login.' }), login: z.string({ error: 'login is a login.' }) },
  { error: 'Send {"recipient": "login", "login": "the pinch hitter"}.' },
);
export const PinchHitApiSchema = z.strictObject(
  { login: z.string({ error: 'login is a login.' }) },
  { error: 'Send {"login": "the pinch hitter"}.' },
);
export const NominateApiSchema = z.strictObject(
  { tags: z.partialRecord(tagType, tagList('tags')) },
  { error: 'Send {"tags": {"fandom": ["A Fandom"]}}.' },
);
export const NominationDecisionApiSchema = z.strictObject(
  { decision: z.enum(['approve', 'reject'], { error: 'decision is approve or reject.' }) },
  { error: 'Send {"decision": "approve"} or {"decision": "reject"}.' },
);
export const NominationReviewApiSchema = z.strictObject(
  {
    decisions: z
      .array(
        z.strictObject(
          {
            id: jsonId('id'),
            decision: z.enum(['approve', 'reject'], { error: 'decision is approve or reject.' }),
          },
          { error: 'A decision is {"id": 12, "decision": "approve"}.' },
        ),
        { error: 'decisions is a list of {"id": 12, "decision": "approve"}.' },
      )
      .min(1, { error: 'decisions names at least one nomination.' })
      .max(500, { error: 'decisions has at most 500 nominations.' }),
  },
  { error: 'Send {"decisions": [{"id": 12, "decision": "approve"}, {"id": 13, "decision": "reject"}]}.' },
);
export const FulfilApiSchema = z.strictObject({ work_id: jsonId('work_id') }, { error: 'Send {"work_id": 12}.' });

/** The exchanges service's refusals as API answers: a 422 names its field, the rest keep their status. */
function toExchangesApiError(error: unknown): unknown {
  if (error instanceof service.ExchangeError) {
    if (error.status !== 422) return new HttpError(error.status, error.message);
    return new ApiInvalidError(error.message, { [error.field === '_form' ? '_body' : error.field]: error.message });
  }
  return error;
}

async function mapped<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw toExchangesApiError(error);
  }
}

/** The JSON body as the settings form's string fields, so the page's schema reads it. */
function settingsFormOf(body: z.output<typeof ExchangeSettingsApiSchema>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (value === undefined || value === null) continue;
    out[key] = Array.isArray(value) ? value.join(', ') : typeof value === 'boolean' ? (value ? '1' : '') : String(value);
  }
  for (const type of EXCHANGE_TAG_TYPES) for (const field of ['required', 'min', 'max']) out[`${field}_${type}`] ??= '0';
  return out;
}

const rulesOf = (rules: ExchangeRules) => ({
  requests: rules.requests,
  offers: rules.offers,
  required_request_matches: rules.requiredRequestMatches,
  forbid_mutual: rules.forbidMutual,
  tag_types: Object.fromEntries(
    Object.entries(rules.tagTypes).map(([type, r]) => [type, { required: r.required, min: r.min, max: r.max, allow_any: r.allowAny }]),
  ),
});
const promptsOf = (value: unknown) => (value as Prompt[]).map((p) => ({ tags: p.tags, any: p.any ?? [] }));

export function apiExchangesRoutes(api: FastifyInstance, deps: ApiOperationDeps): void {
  const { db, config, requireScope, reads, writes } = deps;
  const base = config.baseUrl;
  const ownRead = { config: reads, preParsing: requireScope('read') };
  const write = { config: writes, preParsing: requireScope('write:collections') };
  const href = (name: string) => `${base}/collections/${encodeURIComponent(name)}/exchange`;

  /** The collection's exchange, or a 404 when the collection is none (or no collection at all). */
  const exchangeOf = async (viewer: Viewer, name: string) => {
    const loaded = await mapped(service.loadExchangePage(db, viewer, name));
    if (!loaded.exchange) throw new HttpError(404, `${loaded.collection.title} is not a gift exchange.`);
    return { ...loaded, exchange: loaded.exchange };
  };
  const exchangeJson = async (viewer: Viewer, name: string) => {
    const l = await exchangeOf(viewer, name);
    const e = l.exchange;
    return {
      exchange: {
        collection: { name: l.collection.name, title: l.collection.title },
        url: href(l.collection.name),
        status: e.status,
        signups_open_at: e.signups_open_at.toISOString(),
        signups_close_at: e.signups_close_at.toISOString(),
        due_at: e.due_at?.toISOString() ?? null,
        open: service.isSignUpOpen(e),
        rules: rulesOf(e.rulesParsed),
        tag_set: e.tagSetParsed,
        sign_up_count: l.signUpCount,
        signed_up: l.signUp !== undefined,
        is_maintainer: l.isMaintainer,
        nomination_limits: service.nominationLimitsOf(e),
        nominations_open: service.isNominationOpen(e),
        nominations_open_at: e.nominations_open_at?.toISOString() ?? null,
        nominations_close_at: service.nominationWindowOf(e).closesAt.toISOString(),
      },
    };
  };
  const signUpJson = async (viewer: Viewer, name: string) => {
    const { signUp } = await exchangeOf(viewer, name);
    if (!signUp) throw new HttpError(404, 'You have no sign-up in this exchange.');
    return {
      sign_up: { requests: promptsOf(signUp.requests), offers: promptsOf(signUp.offers), updated_at: signUp.updated_at.toISOString() },
    };
  };
  const assignmentJson = (
    a: {
      id: number;
      recipient_login: string;
      recipient_requests: unknown;
      work_id: number | null;
      fulfilled_at: Date | null;
      pinch_hit: boolean;
    },
    name: string,
  ) => ({
    id: a.id,
    recipient: a.recipient_login,
    requests: promptsOf(a.recipient_requests),
    pinch_hit: a.pinch_hit,
    work_id: a.work_id,
    fulfilled: a.fulfilled_at !== null,
    url: `${href(name)}/assignments/${a.id}`,
  });
  /** An assignment of this collection's exchange that the viewer may see (giver or maintainer); 404 otherwise. */
  const assignmentIn = async (viewer: Viewer, name: string, rawId: string) => {
    const id = idOf(rawId, 'assignment');
    return { id, ...(await mapped(service.loadAssignmentIn(db, viewer, name, id))) };
  };

  api.get<NameReq>(
    '/collections/:name/exchange',
    ownRead,
    operation<NameReq>(async (request, reply) => sendJson(reply, 200, await exchangeJson(viewerIn(deps, request), request.params.name))),
  );

  api.put<NameReq>(
    '/collections/:name/exchange',
    write,
    operation<NameReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const { name } = request.params;
      const before = await mapped(service.loadExchange(db, viewer, name));
      // Who may run the exchange is answered before what the body says, as on the settings page.
      if (!before.isMaintainer) throw new HttpError(403, 'Only the owners and moderators of this collection can run its gift exchange.');
      const body = parseBody(ExchangeSettingsApiSchema, request.body, 'The settings were not saved');
      const input = parseForm(ExchangeSettingsSchema, settingsFormOf(body), 'The settings were not saved');
      await mapped(service.saveExchangeSettings(db, viewer, name, input));
      return sendJson(reply, before.exchange ? 200 : 201, await exchangeJson(viewer, name));
    }),
  );

  api.get<NameReq>(
    '/collections/:name/exchange/signup',
    ownRead,
    operation<NameReq>(async (request, reply) => sendJson(reply, 200, await signUpJson(viewerIn(deps, request), request.params.name))),
  );

  api.put<NameReq>(
    '/collections/:name/exchange/signup',
    write,
    operation<NameReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const { name } = request.params;
      const { exchange } = await exchangeOf(viewer, name);
      const body = parseBody(ExchangeSignUpApiSchema, request.body, 'The sign-up was not saved');
      const rules = exchange.rulesParsed;
      for (const [kind, list] of [
        ['requests', body.requests],
        ['offers', body.offers],
      ] as const) {
        const other = list.flatMap((p) => [...Object.keys(p.tags), ...(p.any ?? [])]).find((type) => !(type in rules.tagTypes));
        if (other)
          throw new ApiInvalidError('The sign-up was not saved: a field needs fixing.', {
            [kind]: `This exchange asks for no ${other} tags.`,
          });
      }
      // The page's reading of the form, with room for every prompt sent, so too many is the rules' refusal rather than a silent cut.
      const roomy = { ...rules, requests: { ...rules.requests, max: MAX_PROMPTS }, offers: { ...rules.offers, max: MAX_PROMPTS } };
      const fields = { ...promptsToFields(body.requests, 'request'), ...promptsToFields(body.offers, 'offer') };
      const outcome = await mapped(
        service.saveSignUp(db, viewer, name, readPrompts(fields, roomy, 'request'), readPrompts(fields, roomy, 'offer')),
      );
      return sendJson(reply, outcome === 'created' ? 201 : 200, await signUpJson(viewer, name));
    }),
  );

  api.delete<NameReq>(
    '/collections/:name/exchange/signup',
    write,
    operation<NameReq>(async (request, reply) => {
      await mapped(service.deleteSignUp(db, viewerIn(deps, request), request.params.name));
      return reply.status(204).send();
    }),
  );

  api.get<NameReq>(
    '/collections/:name/exchange/assignments',
    ownRead,
    operation<NameReq>(async (request, reply) => {
      const l = await exchangeOf(viewerIn(deps, request), request.params.name);
      return sendJson(reply, 200, { assignments: l.myAssignments.map((a) => assignmentJson(a, l.collection.name)) });
    }),
  );

  api.get<AssignmentReq>(
    '/collections/:name/exchange/assignments/:id',
    ownRead,
    operation<AssignmentReq>(async (request, reply) => {
      const { assignment } = await assignmentIn(viewerIn(deps, request), request.params.name, request.params.id);
      return sendJson(reply, 200, {
        assignment: {
          ...assignmentJson(assignment, assignment.collection_name),
          due_at: assignment.due_at?.toISOString() ?? null,
          has_giver: assignment.giver_user_id !== null,
        },
      });
    }),
  );

  api.post<AssignmentReq>(
    '/collections/:name/exchange/assignments/:id/default',
    write,
    operation<AssignmentReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const { id } = await assignmentIn(viewer, request.params.name, request.params.id);
      await mapped(service.defaultAssignment(db, viewer, request.params.name, id));
      return sendJson(reply, 200, { assignment: { id, defaulted: true } });
    }),
  );

  api.post<AssignmentReq>(
    '/collections/:name/exchange/assignments/:id/fulfil',
    write,
    operation<AssignmentReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const { id, isGiver } = await assignmentIn(viewer, request.params.name, request.params.id);
      if (!isGiver) throw new HttpError(403, 'Only the giver of an assignment can post for it.');
      const body = parseBody(FulfilApiSchema, request.body, 'The gift was not posted');
      const done = await mapped(service.fulfilAssignment(db, viewer, request.params.name, id, body.work_id));
      api.pageCache?.invalidateWork(done.workId);
      return sendJson(reply, 200, { assignment: { id, work_id: done.workId, fulfilled: true, work_url: `${base}/works/${done.workId}` } });
    }),
  );

  api.post<AssignmentReq>(
    '/collections/:name/exchange/assignments/:id/pinch_hit',
    write,
    operation<AssignmentReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const { id, isMaintainer } = await assignmentIn(viewer, request.params.name, request.params.id);
      if (!isMaintainer) throw new HttpError(403, 'Only the owners and moderators of this collection can assign pinch hitters.');
      const body = parseBody(PinchHitApiSchema, request.body, 'No pinch hitter was assigned');
      await mapped(service.assignPinchHitter(db, viewer, request.params.name, id, body.login.trim()));
      return sendJson(reply, 200, { assignment: { id, giver: body.login.trim(), pinch_hit: true } });
    }),
  );

  /** The nominations page's facts: one's own nominations, and for maintainers everyone's. */
  const nominationsJson = async (viewer: Viewer, name: string) => {
    const n = await mapped(service.loadNominations(db, viewer, name));
    const row = (r: (typeof n.all)[number]) => ({
      id: r.id,
      login: r.login,
      type: r.tag_type,
      tag: r.tag_name,
      status: r.status,
      decided_at: r.decided_at?.toISOString() ?? null,
    });
    return {
      nominations: {
        open: n.open,
        closed_reason: n.closedMessage,
        opens_at: n.window.opensAt?.toISOString() ?? null,
        closes_at: n.window.closesAt.toISOString(),
        limits: n.limits,
        tag_set: n.exchange.tagSetParsed,
        mine: n.mine.map(row),
        all: n.isMaintainer ? n.all.map(row) : null,
      },
    };
  };

  api.get<NameReq>(
    '/collections/:name/exchange/nominations',
    ownRead,
    operation<NameReq>(async (request, reply) => sendJson(reply, 200, await nominationsJson(viewerIn(deps, request), request.params.name))),
  );

  api.post<NameReq>(
    '/collections/:name/exchange/nominations',
    write,
    operation<NameReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const { name } = request.params;
      const body = parseBody(NominateApiSchema, request.body, 'Nothing was nominated');
      const byType: Record<string, string[]> = {};
      for (const [type, names] of Object.entries(body.tags)) byType[type] = splitTags((names ?? []).join(','));
      const added = await mapped(service.nominateTags(db, viewer, name, byType));
      return sendJson(reply, 201, { nominated: added, ...(await nominationsJson(viewer, name)) });
    }),
  );

  api.post<AssignmentReq>(
    '/collections/:name/exchange/nominations/:id',
    write,
    operation<AssignmentReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const { name } = request.params;
      const id = idOf(request.params.id, 'nomination');
      // Who may decide is answered before what the body says, as on the nominations page.
      const loaded = await mapped(service.loadExchange(db, viewer, name));
      if (!loaded.isMaintainer) throw new HttpError(403, 'Only the owners and moderators of this collection can decide nominations.');
      const body = parseBody(NominationDecisionApiSchema, request.body, 'The nomination was not decided');
      const { type, tag } = await mapped(service.decideNomination(db, viewer, name, id, body.decision));
      return sendJson(reply, 200, {
        nomination: { id, type, tag, status: body.decision === 'approve' ? 'approved' : 'rejected' },
        ...(await nominationsJson(viewer, name)),
      });
    }),
  );

  api.post<NameReq>(
    '/collections/:name/exchange/nominations/review',
    write,
    operation<NameReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const { name } = request.params;
      // Who may review is answered before what the body says, as on the nominations page.
      const loaded = await mapped(service.loadExchange(db, viewer, name));
      if (!loaded.isMaintainer) throw new HttpError(403, 'Only the owners and moderators of this collection can decide nominations.');
      const body = parseBody(NominationReviewApiSchema, request.body, 'No nomination was decided');
      const review = await mapped(service.reviewNominations(db, viewer, name, body.decisions));
      return sendJson(reply, 200, { ...review, ...(await nominationsJson(viewer, name)) });
    }),
  );

  api.delete<AssignmentReq>(
    '/collections/:name/exchange/nominations/:id',
    write,
    operation<AssignmentReq>(async (request, reply) => {
      const id = idOf(request.params.id, 'nomination');
      await mapped(service.withdrawNomination(db, viewerIn(deps, request), request.params.name, id));
      return reply.status(204).send();
    }),
  );

  /** The maintainers' review, as the matching page shows it. */
  const reviewJson = async (viewer: Viewer, name: string) => {
    const r = await mapped(service.loadMatchingReview(db, viewer, name));
    return {
      matching: {
        status: r.exchange.status,
        error: r.exchange.match_error,
        sign_ups: r.signUps.map((s) => ({ login: s.login, requests: promptsOf(s.requests), offers: promptsOf(s.offers) })),
        assignments: r.assignments.map((a) => ({
          id: a.id,
          giver: a.giver_login,
          recipient: a.recipient_login,
          weight: a.weight,
          pinch_hit: a.pinch_hit,
          sent: a.sent_at !== null,
          fulfilled: a.fulfilled_at !== null,
        })),
        unmatched: r.summary?.unmatched ?? [],
        potential: r.summary?.potential ?? {},
        matched_recipients: r.summary?.matchedRecipients ?? null,
        compatible_pairs: r.summary?.compatiblePairs ?? null,
      },
    };
  };

  api.get<NameReq>(
    '/collections/:name/exchange/matching',
    ownRead,
    operation<NameReq>(async (request, reply) => sendJson(reply, 200, await reviewJson(viewerIn(deps, request), request.params.name))),
  );

  api.post<NameReq>(
    '/collections/:name/exchange/matching',
    write,
    operation<NameReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      await mapped(service.startMatching(db, viewer, request.params.name));
      api.jobs.wake();
      return sendJson(reply, 202, await reviewJson(viewer, request.params.name));
    }),
  );

  api.post<NameReq>(
    '/collections/:name/exchange/matching/change',
    write,
    operation<NameReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const { name } = request.params;
      await mapped(service.loadMatchingReview(db, viewer, name));
      const body = parseBody(MatchingChangeApiSchema, request.body, 'The assignments were not changed');
      const change = service.manualChangeOf(body.kind, body.giver, body.other ?? '');
      if (!change)
        throw new ApiInvalidError('The assignments were not changed: a field needs fixing.', {
          other: 'Name the recipient (to reassign) or the second giver (to swap).',
        });
      const { broken, warnings } = await mapped(service.changeAssignments(db, viewer, name, change));
      return sendJson(reply, 200, { broken, warnings, ...(await reviewJson(viewer, name)) });
    }),
  );

  api.post<NameReq>(
    '/collections/:name/exchange/send',
    write,
    operation<NameReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const sent = await mapped(service.sendAssignments(db, viewer, request.params.name));
      return sendJson(reply, 200, { sent, ...(await reviewJson(viewer, request.params.name)) });
    }),
  );

  api.post<NameReq>(
    '/collections/:name/exchange/pinch_hits',
    write,
    operation<NameReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const { name } = request.params;
      await mapped(service.loadMatchingReview(db, viewer, name));
      const body = parseBody(RecipientPinchHitApiSchema, request.body, 'No pinch hitter was assigned');
      const id = await mapped(service.pinchHitForRecipient(db, viewer, name, body.recipient.trim(), body.login.trim()));
      return sendJson(reply, 201, { assignment: { id, recipient: body.recipient.trim(), giver: body.login.trim(), pinch_hit: true } });
    }),
  );
}

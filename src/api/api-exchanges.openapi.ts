// The OpenAPI description of api-exchanges.routes.ts: a collection's gift exchange (its settings and
// tag set), your sign-up and assignments, and the maintainers' review, matching, hand changes,
// sending and pinch hits. Merged into openapi.ts's document and checked against the app by
// api-exchanges.routes.test.ts, which produces every status listed here.
import { EXCHANGE_TAG_TYPES, MAX_PROMPTS } from '../exchanges/exchanges.schema.ts';
import type { JsonSchema, ParameterObject, PathItemObject } from './openapi.ts';
import { pathsOfSpecs, type OperationSpec } from './operation-specs.openapi.ts';

const str = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'string', description, ...extra });
const int = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'integer', description, ...extra });
const bool = (description: string): JsonSchema => ({ type: 'boolean', description });
const nullable = (type: 'string' | 'integer', description: string): JsonSchema => ({ type: [type, 'null'], description });
const obj = (properties: Record<string, JsonSchema>, optional: string[] = []): JsonSchema => ({
  type: 'object',
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  properties,
});
const map = (description: string): JsonSchema => ({ type: 'object', description });
const list = (item: JsonSchema, description = ''): JsonSchema => ({ type: 'array', items: item, ...(description ? { description } : {}) });

const tagType = str('A tag type.', { enum: [...EXCHANGE_TAG_TYPES] });
const prompt = obj({
  tags: map('Tag names per tag type, such as {"fandom": ["…"]}.'),
  any: list(tagType, 'Types left open: anything of them.'),
});
const promptInput: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['tags'],
  properties: {
    tags: map('Tag names per tag type, from the exchange’s tag set.'),
    any: list(tagType, 'Types left open (where the exchange allows it).'),
  },
};
const utc = (what: string) => str(`${what}, in UTC, such as 2030-01-31T18:00.`);
const count = (what: string, max: number) => int(what, { minimum: 0, maximum: max });

const settingsInput: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['opens_at', 'closes_at', 'requests_min', 'requests_max', 'offers_min', 'offers_max', 'required_request_matches'],
  properties: {
    opens_at: utc('When sign-ups open'),
    closes_at: utc('When sign-ups close'),
    due_at: nullable('string', 'When works are due, in UTC (after sign-ups close), or null.'),
    nominations_open_at: nullable('string', 'When tag nominations open, in UTC, or null: at once.'),
    nominations_close_at: nullable(
      'string',
      'When tag nominations close, in UTC (by the time sign-ups close), or null: when sign-ups close.',
    ),
    requests_min: count('The fewest requests a sign-up makes.', MAX_PROMPTS),
    requests_max: count('The most requests.', MAX_PROMPTS),
    offers_min: count('The fewest offers.', MAX_PROMPTS),
    offers_max: count('The most offers.', MAX_PROMPTS),
    required_request_matches: count('Requests a giver’s offers must match.', MAX_PROMPTS),
    forbid_mutual: bool('Forbid two people giving to each other.'),
    ...Object.fromEntries(
      EXCHANGE_TAG_TYPES.flatMap((type) => [
        [`tags_${type}`, list(str('A tag on this archive.'), `The ${type} tags sign-ups choose from (each must exist here).`)],
        [`required_${type}`, count(`${type} tags a request and an offer must share (0: not checked).`, 5)],
        [`min_${type}`, count(`The fewest ${type} tags per prompt.`, 10)],
        [`max_${type}`, count(`The most ${type} tags per prompt.`, 10)],
        [`any_${type}`, bool(`Whether a prompt may leave ${type} open.`)],
        [`nominations_${type}`, count(`How many ${type} tags each participant may nominate (0: none).`, 20)],
      ]),
    ),
  },
};

const assignment = obj({
  id: int('The assignment.'),
  recipient: str('Whom you write for (their login).'),
  requests: list(prompt, 'What they asked for.'),
  pinch_hit: bool('True when you took it as a pinch hitter.'),
  work_id: nullable('integer', 'The work posted for it, or null.'),
  fulfilled: bool('True once a work was posted for it.'),
  url: str('Its page.', { format: 'uri' }),
});

export const exchangeSchemas: Record<string, JsonSchema> = {
  Exchange: obj({
    exchange: obj({
      collection: obj({ name: str('The collection.'), title: str('Its title.') }),
      url: str('The exchange’s page.', { format: 'uri' }),
      status: str('signups, matching, matched or sent.', { enum: ['signups', 'matching', 'matched', 'sent'] }),
      signups_open_at: str('When sign-ups open.', { format: 'date-time' }),
      signups_close_at: str('When they close.', { format: 'date-time' }),
      due_at: nullable('string', 'When works are due, or null.'),
      open: bool('Whether sign-ups are open now.'),
      rules: obj({
        requests: obj({ min: int('Fewest.'), max: int('Most.') }),
        offers: obj({ min: int('Fewest.'), max: int('Most.') }),
        required_request_matches: int('Requests a giver’s offers must match.'),
        forbid_mutual: bool('No two people give to each other.'),
        tag_types: map('Per tag type of the sign-up form: {required, min, max, allow_any}.'),
      }),
      tag_set: map('The sign-up form’s tags per type: {"fandom": ["…"]}.'),
      sign_up_count: int('How many signed up.'),
      signed_up: bool('Whether you signed up.'),
      is_maintainer: bool('Whether you run this exchange.'),
      nomination_limits: map('How many tags of each type one participant may nominate: {"fandom": 3}; a type absent takes none.'),
      nominations_open: bool('Whether tags can be nominated now (in the nomination window, before matching).'),
      nominations_open_at: nullable('string', 'When nominations open, or null: since the exchange was made.'),
      nominations_close_at: str('When nominations close (when sign-ups close unless the maintainers set a time).', {
        format: 'date-time',
      }),
    }),
  }),
  ExchangeSettingsInput: settingsInput,
  ExchangeSignUp: obj({
    sign_up: obj({ requests: list(prompt), offers: list(prompt), updated_at: str('Last saved.', { format: 'date-time' }) }),
  }),
  ExchangeSignUpInput: {
    type: 'object',
    additionalProperties: false,
    required: ['requests', 'offers'],
    properties: {
      requests: { type: 'array', maxItems: MAX_PROMPTS, items: promptInput, description: 'What you would like to receive.' },
      offers: { type: 'array', maxItems: MAX_PROMPTS, items: promptInput, description: 'What you would write.' },
    },
  },
  ExchangeAssignmentList: obj({ assignments: list(assignment) }),
  ExchangeAssignment: obj({
    assignment: {
      ...assignment,
      required: [...(assignment.required ?? []), 'due_at', 'has_giver'],
      properties: {
        ...assignment.properties,
        due_at: nullable('string', 'When the work is due, or null.'),
        has_giver: bool('False once defaulted, until a pinch hitter takes it.'),
      },
    },
  }),
  ExchangeAssignmentDefault: obj({ assignment: obj({ id: int('The assignment.'), defaulted: bool('Always true.') }) }),
  ExchangeFulfilInput: {
    type: 'object',
    additionalProperties: false,
    required: ['work_id'],
    properties: { work_id: int('A posted work of yours.', { minimum: 1 }) },
  },
  ExchangeFulfilment: obj({
    assignment: obj({
      id: int('The assignment.'),
      work_id: int('The work.'),
      fulfilled: bool('Always true.'),
      work_url: str('The work.', { format: 'uri' }),
    }),
  }),
  ExchangePinchHitInput: {
    type: 'object',
    additionalProperties: false,
    required: ['login'],
    properties: { login: str('The volunteer’s login.') },
  },
  ExchangeRecipientPinchHitInput: {
    type: 'object',
    additionalProperties: false,
    required: ['recipient', 'login'],
    properties: { recipient: str('The sign-up with no giver (its login).'), login: str('The volunteer’s login.') },
  },
  ExchangePinchHit: obj({
    assignment: obj({ id: int('The assignment.'), giver: str('The pinch hitter.'), pinch_hit: bool('Always true.') }),
  }),
  ExchangeRecipientPinchHit: obj({
    assignment: obj({
      id: int('The new assignment.'),
      recipient: str('Its recipient.'),
      giver: str('The pinch hitter.'),
      pinch_hit: bool('Always true.'),
    }),
  }),
  ExchangeMatchingChangeInput: {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'giver'],
    properties: {
      kind: str('remove a giver’s assignment, swap two givers’ recipients, or reassign a giver to a recipient.', {
        enum: ['remove', 'swap', 'reassign'],
      }),
      giver: str('The giver (their login).'),
      other: str('The recipient (reassign) or the second giver (swap).'),
    },
  },
  ExchangeNominations: nominationsSchema(),
  ExchangeNominated: nominationsSchema({ nominated: int('How many new nominations (a tag you nominated before is not counted).') }),
  ExchangeNominationDecided: nominationsSchema({
    nomination: obj({
      id: int('The nomination.'),
      type: tagType,
      tag: str('The tag.'),
      status: str('approved or rejected.', { enum: ['approved', 'rejected'] }),
    }),
  }),
  ExchangeNominationReviewed: nominationsSchema({
    approved: list(
      obj({ id: int('A nomination.'), type: tagType, tag: str('The tag.') }),
      'Nominations approved by this review (approving a tag approves everyone’s nominations of it).',
    ),
    rejected: list(obj({ id: int('A nomination.'), type: tagType, tag: str('The tag.') }), 'Nominations rejected by this review.'),
  }),
  ExchangeNominationReviewInput: {
    type: 'object',
    additionalProperties: false,
    required: ['decisions'],
    properties: {
      decisions: {
        type: 'array',
        minItems: 1,
        maxItems: 500,
        description: 'Pending nominations and what becomes of each.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'decision'],
          properties: {
            id: int('A pending nomination of this exchange.', { minimum: 1 }),
            decision: str('approve (the tag joins the tag set) or reject.', { enum: ['approve', 'reject'] }),
          },
        },
      },
    },
  },
  ExchangeNominateInput: {
    type: 'object',
    additionalProperties: false,
    required: ['tags'],
    properties: { tags: map('Tag names per tag type, each an archive tag of that type: {"fandom": ["A Fandom"]}.') },
  },
  ExchangeNominationDecisionInput: {
    type: 'object',
    additionalProperties: false,
    required: ['decision'],
    properties: { decision: str('approve (the tag joins the tag set) or reject.', { enum: ['approve', 'reject'] }) },
  },
  ExchangeMatching: matchingSchema(),
  ExchangeMatchingChange: matchingSchema({ broken: list(str('giver → recipient')), warnings: list(str('A warning.')) }),
  ExchangeSending: matchingSchema({ sent: int('How many assignments were sent.') }),
};

function nominationsSchema(extra: Record<string, JsonSchema> = {}): JsonSchema {
  const nomination = obj({
    id: int('The nomination.'),
    login: str('Who nominated it.'),
    type: tagType,
    tag: str('The tag, as the archive spells it.'),
    status: str('pending, approved or rejected.', { enum: ['pending', 'approved', 'rejected'] }),
    decided_at: nullable('string', 'When a maintainer decided it, or null while it waits (and can be withdrawn).'),
  });
  return obj({
    ...extra,
    nominations: obj({
      open: bool('Whether tags can be nominated now.'),
      closed_reason: nullable('string', 'Why nominating is refused now (not open yet, closed, matching began, none taken), or null.'),
      opens_at: nullable('string', 'When nominations open, or null: since the exchange was made.'),
      closes_at: str('When nominations close.', { format: 'date-time' }),
      limits: map('How many tags of each type one participant may nominate.'),
      tag_set: map('The tag set now, per type.'),
      mine: list(nomination, 'Your nominations.'),
      all: { type: ['array', 'null'], items: nomination, description: 'Everyone’s nominations (maintainers only; null for others).' },
    }),
  });
}

function matchingSchema(extra: Record<string, JsonSchema> = {}): JsonSchema {
  return obj({
    ...extra,
    matching: obj({
      status: str('signups, matching, matched or sent.', { enum: ['signups', 'matching', 'matched', 'sent'] }),
      error: nullable('string', 'Why the last matching stopped, or null.'),
      sign_ups: list(obj({ login: str('Who.'), requests: list(prompt), offers: list(prompt) })),
      assignments: list(
        obj({
          id: int('The assignment.'),
          giver: nullable('string', 'The giver, or null (defaulted or taken off by hand).'),
          recipient: str('The recipient.'),
          weight: { type: ['number', 'integer'], description: 'How well they match.' },
          pinch_hit: bool('Taken by a pinch hitter.'),
          sent: bool('Sent to the giver.'),
          fulfilled: bool('A work was posted for it.'),
        }),
      ),
      unmatched: list(map('A sign-up with no giver, and the matcher’s explanation.'), 'The matcher’s explanations.'),
      potential: map('Potential givers per recipient.'),
      matched_recipients: nullable('integer', 'Recipients the matcher gave a giver, or null before matching.'),
      compatible_pairs: nullable('integer', 'Possible giver → recipient pairs, or null before matching.'),
    }),
  });
}

type Spec = OperationSpec;

const P = '/collections/{name}/exchange';
const NO_EXCHANGE = 'No such collection, or it is not a gift exchange.';
const MAINTAINERS = 'You do not run this collection (owners and moderators do), or the app was not allowed the scope.';
const NO_ASSIGNMENT = 'No such assignment in this exchange for you (only its giver, once sent, and the maintainers see one).';

const SPECS: Spec[] = [
  {
    id: 'getExchange',
    method: 'get',
    path: P,
    summary: 'A collection’s gift exchange: its dates, rules and the sign-up form’s tag set',
    description: 'The exchange page.',
    scope: 'read',
    ok: { status: '200', schema: 'Exchange', description: 'The exchange.' },
    also: { '404': NO_EXCHANGE },
  },
  {
    id: 'saveExchangeSettings',
    method: 'put',
    path: P,
    summary: 'Make a collection of yours a gift exchange, or change its settings before matching',
    description:
      'As the exchange settings form (its fields, numbers as numbers and tags as lists). Every tag must exist on the archive with its type. Audited.',
    scope: 'write:collections',
    body: {
      schema: 'ExchangeSettingsInput',
      example: {
        opens_at: '2030-01-01T00:00',
        closes_at: '2030-01-15T00:00',
        requests_min: 1,
        requests_max: 2,
        offers_min: 1,
        offers_max: 2,
        required_request_matches: 1,
        tags_fandom: ['A Fandom'],
        required_fandom: 1,
        min_fandom: 1,
        max_fandom: 1,
      },
    },
    ok: { status: '200', schema: 'Exchange', description: 'Saved; the exchange now.' },
    also: {
      '201': 'The collection became a gift exchange.',
      '403': MAINTAINERS,
      '404': 'No such collection.',
      '409': 'Matching has run: the settings can no longer change.',
      '422': 'A field is not valid (a date, a number, a tag not on this archive); each is named.',
    },
  },
  {
    id: 'getMyExchangeSignUp',
    method: 'get',
    path: `${P}/signup`,
    summary: 'Your sign-up to a gift exchange',
    description: 'What the sign-up form holds for you.',
    scope: 'read',
    ok: { status: '200', schema: 'ExchangeSignUp', description: 'Your sign-up.' },
    also: { '404': `${NO_EXCHANGE} Or you have no sign-up in it.` },
  },
  {
    id: 'saveExchangeSignUp',
    method: 'put',
    path: `${P}/signup`,
    summary: 'Sign up to a gift exchange, or change your sign-up, while sign-ups are open',
    description:
      'As the sign-up form: the exchange’s rules (how many prompts and tags, tags from its tag set) are checked, every problem named.',
    scope: 'write:collections',
    body: {
      schema: 'ExchangeSignUpInput',
      example: { requests: [{ tags: { fandom: ['A Fandom'] } }], offers: [{ tags: { fandom: ['A Fandom'] } }] },
    },
    ok: { status: '200', schema: 'ExchangeSignUp', description: 'Your sign-up was changed.' },
    also: {
      '201': 'You are signed up.',
      '404': NO_EXCHANGE,
      '422': 'Sign-ups are not open, or the sign-up breaks the exchange’s rules (the message says how).',
    },
  },
  {
    id: 'deleteExchangeSignUp',
    method: 'delete',
    path: `${P}/signup`,
    summary: 'Withdraw your sign-up while sign-ups are open',
    description: 'As the Delete sign-up button.',
    scope: 'write:collections',
    ok: { status: '204', description: 'Withdrawn.' },
    also: { '404': `${NO_EXCHANGE} Or you have no sign-up in it.`, '422': 'Sign-ups are not open.' },
  },
  {
    id: 'listMyExchangeAssignments',
    method: 'get',
    path: `${P}/assignments`,
    summary: 'Your assignments in a gift exchange, once sent: whom you write for and what they asked',
    description: 'The exchange page’s “Your assignments”.',
    scope: 'read',
    ok: { status: '200', schema: 'ExchangeAssignmentList', description: 'Your assignments.' },
    also: { '404': NO_EXCHANGE },
  },
  {
    id: 'getExchangeAssignment',
    method: 'get',
    path: `${P}/assignments/{id}`,
    summary: 'One assignment, as its giver or a maintainer sees it',
    description: 'The assignment page.',
    scope: 'read',
    ok: { status: '200', schema: 'ExchangeAssignment', description: 'The assignment.' },
    also: { '404': NO_ASSIGNMENT },
  },
  {
    id: 'defaultExchangeAssignment',
    method: 'post',
    path: `${P}/assignments/{id}/default`,
    summary: 'Give up your assignment: it waits for a pinch hitter, and the maintainers are told',
    description: 'As the Default button. Only its giver.',
    scope: 'write:collections',
    ok: { status: '200', schema: 'ExchangeAssignmentDefault', description: 'Defaulted.' },
    also: {
      '403': 'You are not its giver, or the app was not allowed the scope.',
      '404': NO_ASSIGNMENT,
      '422': 'You already posted your gift for it.',
    },
  },
  {
    id: 'fulfilExchangeAssignment',
    method: 'post',
    path: `${P}/assignments/{id}/fulfil`,
    summary: 'Post for your assignment: a posted work of yours joins the exchange as a gift to its recipient',
    description: 'As the assignment page’s form. The work enters the collection approved and becomes a gift, in one transaction.',
    scope: 'write:collections',
    body: { schema: 'ExchangeFulfilInput', example: { work_id: 12 } },
    ok: { status: '200', schema: 'ExchangeFulfilment', description: 'Posted.' },
    also: {
      '403': 'You are not its giver, or the app was not allowed the scope.',
      '404': NO_ASSIGNMENT,
      '422': 'Not a posted work of yours, or the recipient cannot be given it (the message says why).',
    },
  },
  {
    id: 'assignExchangePinchHitter',
    method: 'post',
    path: `${P}/assignments/{id}/pinch_hit`,
    summary: 'Give a defaulted assignment to a volunteer (a pinch hitter), who is told',
    description: 'As the assignment page’s pinch-hit form. Maintainers only; audited.',
    scope: 'write:collections',
    body: { schema: 'ExchangePinchHitInput', example: { login: 'a_volunteer' } },
    ok: { status: '200', schema: 'ExchangePinchHit', description: 'Assigned.' },
    also: {
      '403': MAINTAINERS,
      '404': NO_ASSIGNMENT,
      '409': 'The assignment has a giver.',
      '422': 'No such user, the recipient, or someone who defaulted on it.',
    },
  },
  {
    id: 'getExchangeNominations',
    method: 'get',
    path: `${P}/nominations`,
    summary: 'Tag nominations of a gift exchange: yours, and everyone’s for its maintainers',
    description: 'The nominations page.',
    scope: 'read',
    ok: { status: '200', schema: 'ExchangeNominations', description: 'The nominations.' },
    also: { '404': NO_EXCHANGE },
  },
  {
    id: 'nominateExchangeTags',
    method: 'post',
    path: `${P}/nominations`,
    summary: 'Nominate archive tags for the exchange’s tag set while its nomination window is open',
    description:
      'As the nominations form: each tag must exist on the archive with its type and not be in the tag set, and your nominations of a type (pending or approved) stay within the maintainers’ limit. The window is the maintainers’ (nominations_open_at to nominations_close_at on the exchange), and closes at the latest when sign-ups close.',
    scope: 'write:collections',
    body: { schema: 'ExchangeNominateInput', example: { tags: { fandom: ['A Fandom'] } } },
    ok: { status: '201', schema: 'ExchangeNominated', description: 'Nominated; your nominations now.' },
    also: {
      '404': NO_EXCHANGE,
      '422':
        'Nominations are not open (not yet, or closed: the message says when), the exchange takes none of a type, a tag is not on this archive or in the set already, or the limit is passed.',
    },
  },
  {
    id: 'withdrawExchangeNomination',
    method: 'delete',
    path: `${P}/nominations/{id}`,
    summary: 'Withdraw your own nomination while it waits for review',
    description:
      'As the Withdraw button of the nominations page. The nomination is deleted and no longer counts against your limit; a reviewed one stays.',
    scope: 'write:collections',
    ok: { status: '204', description: 'Withdrawn.' },
    also: {
      '404': `${NO_EXCHANGE} Or you have no such nomination in it.`,
      '409': 'It was reviewed already (approved or rejected).',
    },
  },
  {
    id: 'reviewExchangeNominations',
    method: 'post',
    path: `${P}/nominations/review`,
    summary: 'Approve and reject many nominations in one review; each nominator gets one inbox notice for it',
    description:
      'As the Save decisions button of the nominations page. One transaction: every nomination named must be pending, approving a tag adds it to the tag set and approves everyone’s nominations of it. Maintainers only; each decision audited.',
    scope: 'write:collections',
    body: { schema: 'ExchangeNominationReviewInput', example: { decisions: [{ id: 12, decision: 'approve' }] } },
    ok: { status: '200', schema: 'ExchangeNominationReviewed', description: 'Reviewed; the nominations now.' },
    also: {
      '403': MAINTAINERS,
      '404': `${NO_EXCHANGE} Or a nomination named is not in it (it may have been withdrawn).`,
      '409': 'A nomination named was decided already, or matching has run (the tag set is fixed).',
      '422': 'No decisions, a decision neither approve nor reject, one tag both approved and rejected, or the tag set is full.',
    },
  },
  {
    id: 'decideExchangeNomination',
    method: 'post',
    path: `${P}/nominations/{id}`,
    summary: 'Approve a nomination (the tag joins the tag set, with everyone’s nominations of it) or reject it',
    description:
      'A review of one nomination (reviewExchangeNominations takes many): its nominators get an inbox notice. Maintainers only; audited.',
    scope: 'write:collections',
    body: { schema: 'ExchangeNominationDecisionInput', example: { decision: 'approve' } },
    ok: { status: '200', schema: 'ExchangeNominationDecided', description: 'Decided; the nominations now.' },
    also: {
      '403': MAINTAINERS,
      '404': `${NO_EXCHANGE} Or no such nomination in it.`,
      '409': 'It was decided already, or matching has run (the tag set is fixed).',
      '422': 'The decision is neither approve nor reject, or the tag set is full.',
    },
  },
  {
    id: 'getExchangeMatching',
    method: 'get',
    path: `${P}/matching`,
    summary: 'The maintainers’ review: sign-ups, assignments, and the matcher’s explanations and potential matches',
    description: 'The matching page.',
    scope: 'read',
    ok: { status: '200', schema: 'ExchangeMatching', description: 'The review.' },
    also: { '403': MAINTAINERS, '404': NO_EXCHANGE },
  },
  {
    id: 'startExchangeMatching',
    method: 'post',
    path: `${P}/matching`,
    summary: 'Run the matcher (again, to start over) once sign-ups closed',
    description:
      'As the Run matching button. Matching runs in the background: read getExchangeMatching until its status is matched. Audited.',
    scope: 'write:collections',
    ok: { status: '202', schema: 'ExchangeMatching', description: 'Matching started.' },
    also: {
      '403': MAINTAINERS,
      '404': NO_EXCHANGE,
      '409': 'Matching is running already, or the assignments were sent.',
      '422': 'Sign-ups are still open.',
    },
  },
  {
    id: 'changeExchangeAssignments',
    method: 'post',
    path: `${P}/matching/change`,
    summary: 'Change the draft assignments by hand: remove, swap or reassign',
    description: 'As the matching page’s change form, checked as the page checks it; the answer names the pairs broken. Audited.',
    scope: 'write:collections',
    body: { schema: 'ExchangeMatchingChangeInput', example: { kind: 'reassign', giver: 'a_giver', other: 'a_recipient' } },
    ok: { status: '200', schema: 'ExchangeMatchingChange', description: 'Changed; the review now.' },
    also: {
      '403': MAINTAINERS,
      '404': NO_EXCHANGE,
      '409': 'Not between matching and sending, or the assignments changed meanwhile.',
      '422': 'The change is not possible (the message says why).',
    },
  },
  {
    id: 'sendExchangeAssignments',
    method: 'post',
    path: `${P}/send`,
    summary: 'Send the assignments: each giver is told (inbox and mail), the due-date reminder is queued',
    description: 'As the Send assignments button. Audited.',
    scope: 'write:collections',
    ok: { status: '200', schema: 'ExchangeSending', description: 'Sent; the review now.' },
    also: { '403': MAINTAINERS, '404': NO_EXCHANGE, '409': 'Nothing to send: matching has not run, or they were sent.' },
  },
  {
    id: 'pinchHitExchangeRecipient',
    method: 'post',
    path: `${P}/pinch_hits`,
    summary: 'After sending, give a sign-up that has no giver a volunteer (a pinch hitter), who is told',
    description: 'As the matching page’s pinch-hit form. Audited.',
    scope: 'write:collections',
    body: { schema: 'ExchangeRecipientPinchHitInput', example: { recipient: 'a_recipient', login: 'a_volunteer' } },
    ok: { status: '201', schema: 'ExchangeRecipientPinchHit', description: 'The new assignment.' },
    also: {
      '403': MAINTAINERS,
      '404': NO_EXCHANGE,
      '409': 'The assignments were not sent yet (change them by hand instead).',
      '422': 'No such sign-up, it has an assignment, no such user, or the recipient themselves.',
    },
  },
];

/** Every operation documented here, for api-exchanges.routes.test.ts and openapi.test.ts. */
export const EXCHANGE_OPERATION_IDS: readonly string[] = SPECS.map((s) => s.id);

const paramOf = (name: string): ParameterObject =>
  name === 'name'
    ? { name, in: 'path', required: true, description: 'The collection’s name.', schema: { type: 'string', minLength: 1 } }
    : { name, in: 'path', required: true, description: 'The assignment.', schema: { type: 'integer', minimum: 1 } };

export const exchangePaths: Record<string, PathItemObject> = pathsOfSpecs(SPECS, 'gift exchanges', (name, spec) =>
  name === 'id' && spec.path.includes('/nominations/') ? { ...paramOf('id'), description: 'The nomination.' } : paramOf(name),
);

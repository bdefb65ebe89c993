// The OpenAPI description of api-gifts.routes.ts: a work's gifts and related-work links, your gifts
// (refusing one) and the links to your works (approving or removing one). Merged into openapi.ts's
// document and checked against the app by api-gifts.routes.test.ts, which produces every status
// listed here.
import { MAX_GIFT_RECIPIENTS, MAX_RECIPIENT_NAME } from '../gifts/gifts.schema.ts';
import { MAX_EXTERNAL_CREATOR, MAX_EXTERNAL_TITLE, RELATIONS } from '../related-works/related-works.schema.ts';
import type { JsonSchema, ParameterObject, PathItemObject } from './openapi.ts';
import { pathsOfSpecs, type OperationSpec } from './operation-specs.openapi.ts';

const str = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'string', description, ...extra });
const int = (description: string): JsonSchema => ({ type: 'integer', description });
const bool = (description: string): JsonSchema => ({ type: 'boolean', description });
const nullable = (type: 'string' | 'integer', description: string): JsonSchema => ({ type: [type, 'null'], description });
const obj = (properties: Record<string, JsonSchema>, optional: string[] = []): JsonSchema => ({
  type: 'object',
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  properties,
});
const list = (key: string, item: JsonSchema): JsonSchema => obj({ [key]: { type: 'array', items: item } });

const relation = str('How the work is related to its parent.', { enum: [...RELATIONS] });
const status = str('The parent’s creators’ answer: pending, approved (the parent shows the link) or removed.', {
  enum: ['pending', 'approved', 'removed'],
});

export const giftSchemas: Record<string, JsonSchema> = {
  WorkGiftList: list(
    'gifts',
    obj({
      id: int('The gift.'),
      name: str('Who it is for, as the work shows it: a pseud, or a name outside the archive.'),
      login: nullable('string', 'The recipient’s login, or null for a name outside the archive.'),
      refused: bool('True when the recipient refused it (it is no longer shown).'),
    }),
  ),
  WorkGiftsInput: {
    type: 'object',
    additionalProperties: false,
    required: ['recipients'],
    properties: {
      recipients: {
        type: 'array',
        maxItems: MAX_GIFT_RECIPIENTS,
        description:
          'Everyone the work is for, replacing the list: logins, pseuds, "Pseud (login)", or any name. Users here are told once the work is posted.',
        items: { type: 'string', minLength: 1, maxLength: MAX_RECIPIENT_NAME },
      },
    },
  },
  RelatedWorkList: list(
    'related_works',
    obj({
      id: int('The link.'),
      relation,
      status,
      parent_work_id: nullable('integer', 'The parent on this archive, or null for a work elsewhere.'),
      work_url: nullable('string', 'The parent’s page on this archive, or null.'),
      title: nullable('string', 'The parent’s title.'),
      url: nullable('string', 'The address of a parent elsewhere, or null.'),
      creator: nullable('string', 'The creator of a parent elsewhere, or null.'),
    }),
  ),
  RelatedWorkInput: {
    type: 'object',
    additionalProperties: false,
    required: ['relation', 'url'],
    properties: {
      relation,
      url: str('A work here (its address, or its id such as "123"), or an http(s) address elsewhere.'),
      title: str('The title of a work elsewhere (required for one).', { maxLength: MAX_EXTERNAL_TITLE }),
      creator: str('The creator of a work elsewhere.', { maxLength: MAX_EXTERNAL_CREATOR }),
    },
  },
  MyGiftList: list(
    'gifts',
    obj({ id: int('The gift.'), work_id: int('The work.'), title: str('Its title.'), url: str('Its page.', { format: 'uri' }) }),
  ),
  GiftRefusal: obj({
    gift: obj({ id: int('The gift.'), work_id: int('The work.'), refused: bool('Always true.') }),
  }),
  LinksToMyWorks: list(
    'related_works',
    obj({
      id: int('The link.'),
      relation,
      status,
      work_id: int('The work that names yours.'),
      title: str('Its title.'),
      parent_work_id: int('Your work.'),
      parent_title: str('Its title.'),
    }),
  ),
  RelatedWorkDecision: obj({
    related_work: obj({ id: int('The link.'), work_id: int('The work naming yours.'), parent_work_id: int('Your work.'), status }),
  }),
};

type Spec = OperationSpec;

const WORK_403 = 'You are not a creator of this work, or the app was not allowed the scope.';
const WORK_404 = 'No such work, or a draft or hidden work of someone else.';

const SPECS: Spec[] = [
  {
    id: 'getWorkGifts',
    method: 'get',
    path: '/works/{id}/gifts',
    summary: 'Who a work of yours is a gift for, refused gifts included',
    description: 'What the edit form’s “Gift this work to” field holds, and who refused.',
    scope: 'read',
    ok: { status: '200', schema: 'WorkGiftList', description: 'The gifts.' },
    also: { '403': WORK_403, '404': WORK_404 },
  },
  {
    id: 'setWorkGifts',
    method: 'put',
    path: '/works/{id}/gifts',
    summary: 'Give a work of yours to people (the list replaces the earlier one)',
    description:
      'As the work form’s field: a recipient who blocked you, yourself, a name several accounts share without its login, or someone who refused this work is a 422 and nothing changes.',
    scope: 'write:works',
    body: { schema: 'WorkGiftsInput', example: { recipients: ['a_friend', 'My Aunt'] } },
    ok: { status: '200', schema: 'WorkGiftList', description: 'The gifts now.' },
    also: { '403': WORK_403, '404': WORK_404, '422': 'A name cannot be given the work (the message says why).' },
  },
  {
    id: 'getWorkRelatedWorks',
    method: 'get',
    path: '/works/{id}/related_works',
    summary: 'The works a work of yours names as its parents (translations, remixes, podfics, inspirations)',
    description: 'Every link, with its parent’s creators’ answer.',
    scope: 'read',
    ok: { status: '200', schema: 'RelatedWorkList', description: 'The links.' },
    also: { '403': WORK_403, '404': WORK_404 },
  },
  {
    id: 'addRelatedWork',
    method: 'post',
    path: '/works/{id}/related_works',
    summary: 'Name a parent of a work of yours: a work here (its creators approve) or elsewhere',
    description:
      'As the work form’s related-work fields. A parent here must be one you may read; addresses elsewhere must be http(s) and need a title.',
    scope: 'write:works',
    body: { schema: 'RelatedWorkInput', example: { relation: 'translation_of', url: '12' } },
    ok: { status: '201', schema: 'RelatedWorkList', description: 'Added; the work’s links now.' },
    also: {
      '403': WORK_403,
      '404': WORK_404,
      '422': 'Not an http(s) address or a work you may read, already linked, or no title for a work elsewhere.',
    },
  },
  {
    id: 'deleteRelatedWork',
    method: 'delete',
    path: '/works/{id}/related_works/{linkId}',
    summary: 'Take a link to a parent off a work of yours',
    description: 'As ticking the link’s box on the edit form.',
    scope: 'write:works',
    ok: { status: '204', description: 'Taken off.' },
    also: { '403': WORK_403, '404': `${WORK_404} Or no such link on it.` },
  },
  {
    id: 'listMyGifts',
    method: 'get',
    path: '/me/gifts',
    summary: 'The works given to you (not the ones you refused; drafts and hidden works never)',
    description: 'Your gifts page, newest first, its first page.',
    scope: 'read',
    ok: { status: '200', schema: 'MyGiftList', description: 'Your gifts.' },
    also: {},
  },
  {
    id: 'refuseGift',
    method: 'post',
    path: '/me/gifts/{id}/refuse',
    summary: 'Refuse a gift: it leaves your gifts page and the work’s “For …” line, and cannot be given to you again',
    description: 'As the Refuse gift button.',
    scope: 'write:works',
    ok: { status: '200', schema: 'GiftRefusal', description: 'Refused (or already refused).' },
    also: { '404': 'No gift to you with this id.' },
  },
  {
    id: 'listLinksToMyWorks',
    method: 'get',
    path: '/me/related_works',
    summary: 'Posted works that name one of yours as their parent, with your answer',
    description: 'Your related-works page.',
    scope: 'read',
    ok: { status: '200', schema: 'LinksToMyWorks', description: 'The links.' },
    also: {},
  },
  {
    id: 'approveRelatedWork',
    method: 'post',
    path: '/me/related_works/{id}/approve',
    summary: 'Approve a link to your work: your work shows it',
    description: 'As the Approve button. Only the creators of the work it names.',
    scope: 'write:works',
    ok: { status: '200', schema: 'RelatedWorkDecision', description: 'Approved.' },
    also: { '403': 'You are not a creator of the work it names, or the app was not allowed the scope.', '404': 'No such link.' },
  },
  {
    id: 'removeRelatedWork',
    method: 'post',
    path: '/me/related_works/{id}/remove',
    summary: 'Remove a link to your work: your work stops showing it',
    description: 'As the Remove button. Only the creators of the work it names.',
    scope: 'write:works',
    ok: { status: '200', schema: 'RelatedWorkDecision', description: 'Removed.' },
    also: { '403': 'You are not a creator of the work it names, or the app was not allowed the scope.', '404': 'No such link.' },
  },
];

/** Every operation documented here, for api-gifts.routes.test.ts and openapi.test.ts. */
export const GIFT_OPERATION_IDS: readonly string[] = SPECS.map((s) => s.id);

const paramOf = (name: string): ParameterObject => ({
  name,
  in: 'path',
  required: true,
  description: name === 'linkId' ? 'The link.' : 'The id.',
  schema: { type: 'integer', minimum: 1 },
});

export const giftPaths: Record<string, PathItemObject> = pathsOfSpecs(SPECS, 'gifts', paramOf);

// The OpenAPI description of api-co-creators.routes.ts: invitations to co-create works and series,
// answering them, leaving a credit, the invitation preference, and orphaning. Merged into
// openapi.ts's document (which adds the ETag and 304 of the GET) and checked against the app by
// api-co-creators.routes.test.ts, which produces every status listed here.
import type { JsonSchema, ParameterObject, PathItemObject } from './openapi.ts';
import { pathsOfSpecs, type OperationSpec } from './operation-specs.openapi.ts';

const str = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'string', description, ...extra });
const int = (description: string): JsonSchema => ({ type: 'integer', description });
const bool = (description: string): JsonSchema => ({ type: 'boolean', description });
const obj = (properties: Record<string, JsonSchema>, optional: string[] = []): JsonSchema => ({
  type: 'object',
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  properties,
});
const input = (properties: Record<string, JsonSchema>, required: string[]): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
});

const target = obj({
  type: str('What it is.', { enum: ['work', 'series'] }),
  id: int('Its id.'),
  title: str('Its title.'),
  url: str('Its page.', { format: 'uri' }),
});

export const coCreatorSchemas: Record<string, JsonSchema> = {
  CoCreatorInvitationInput: input(
    { pseud: str('Whom to invite: a pseud name, "name (login)" when several use it, or a login.', { minLength: 1, maxLength: 200 }) },
    ['pseud'],
  ),
  CoCreatorInvitationResult: obj({
    invitation: obj({
      status: str(
        'invited: they are asked in their inbox and credited once they accept; credited: one of your own pseuds, added at once.',
        {
          enum: ['invited', 'credited'],
        },
      ),
      pseud: str('The pseud, as bylines show it ("name (login)" when the name is not the login).'),
      target,
    }),
  }),
  CoCreatorInvitationList: obj({
    invitations: {
      type: 'array',
      description: 'Your invitations waiting for an answer, newest first.',
      items: obj({
        id: int('The invitation.'),
        pseud: str('Your pseud that is invited.'),
        invited_by: { type: ['string', 'null'], description: 'The login of who invited you (null once their account is gone).' },
        created_at: str('When.', { format: 'date-time' }),
        target,
      }),
    },
    allows_invitations: bool('Whether others may invite you at all.'),
  }),
  CoCreatorAnswerInput: input({ answer: str('Accept (you are credited and may edit) or decline.', { enum: ['accept', 'decline'] }) }, [
    'answer',
  ]),
  CoCreatorAnswer: obj({
    invitation: obj({ id: int('The invitation, now answered.'), answer: str('Your answer.', { enum: ['accept', 'decline'] }), target }),
  }),
  CoCreatorPreferenceInput: input({ allows_invitations: bool('Whether others may invite you as a co-creator.') }, ['allows_invitations']),
  CoCreatorPreference: obj({ allows_invitations: bool('Whether others may invite you as a co-creator.') }),
  OrphanInput: input(
    { keep_pseud: bool('Keep your pseud’s name on the orphaned works (shown as "name (orphan_account)"), or credit orphan_account only.') },
    ['keep_pseud'],
  ),
  Orphaned: obj({ orphaned: target }),
  OrphanedWorks: obj({ orphaned: int('How many posted works were orphaned (drafts stay yours).') }),
  OrphanAllSeriesInput: input({ confirm: bool('Always true: orphaning cannot be undone.') }, ['confirm']),
  OrphanedSeries: obj({ orphaned: int('How many series were orphaned (the works in them stay yours).') }),
};

type Spec = OperationSpec;

const WORK_404 = 'No such work, or a draft or hidden work of someone else.';
const NOT_CREATOR = 'You are not a creator of it, or the app was not allowed the scope.';

const SPECS: Spec[] = [
  {
    id: 'inviteWorkCoCreator',
    method: 'post',
    path: '/works/{id}/co_creator_invitations',
    summary: 'Invite a pseud to co-create a work',
    description: 'As the creators page’s form: the invitee is asked in their inbox and credited (and may edit) once they accept.',
    scope: 'write:works',
    body: { schema: 'CoCreatorInvitationInput', example: { pseud: 'Rowan (rowan_writes)' } },
    ok: { status: '201', schema: 'CoCreatorInvitationResult', description: 'Invited, or (your own pseud) credited.' },
    also: {
      '403': NOT_CREATOR,
      '404': WORK_404,
      '422': 'No such pseud, a name several use, already credited or invited, or they do not accept invitations from you.',
    },
  },
  {
    id: 'inviteSeriesCoCreator',
    method: 'post',
    path: '/series/{id}/co_creator_invitations',
    summary: 'Invite a pseud to co-create a series',
    description: 'As the series’ creators page: the pseud’s user is credited on the series once they accept.',
    scope: 'write:works',
    body: { schema: 'CoCreatorInvitationInput', example: { pseud: 'rowan_writes' } },
    ok: { status: '201', schema: 'CoCreatorInvitationResult', description: 'Invited.' },
    also: {
      '403': NOT_CREATOR,
      '404': 'No such series.',
      '422': 'No such pseud, a name several use, already credited or invited, or they do not accept invitations from you.',
    },
  },
  {
    id: 'leaveWorkCredits',
    method: 'delete',
    path: '/works/{id}/creators/me',
    summary: 'Remove yourself as a creator of a work',
    description: 'Your pseuds are taken off the work; you can no longer edit it. The last creator cannot leave.',
    scope: 'write:works',
    ok: { status: '204', description: 'You are no longer credited.' },
    also: { '403': NOT_CREATOR, '404': WORK_404, '422': 'You are its only creator: invite a co-creator first, or orphan it.' },
  },
  {
    id: 'leaveSeriesCredits',
    method: 'delete',
    path: '/series/{id}/creators/me',
    summary: 'Remove yourself as a creator of a series',
    description: 'The series keeps its other creators. The last creator cannot leave.',
    scope: 'write:works',
    ok: { status: '204', description: 'You are no longer credited.' },
    also: { '403': NOT_CREATOR, '404': 'No such series.', '422': 'You are its only creator: invite a co-creator first, or orphan it.' },
  },
  {
    id: 'listCoCreatorInvitations',
    method: 'get',
    path: '/me/co_creator_invitations',
    summary: 'Your invitations to co-create, and whether you accept invitations',
    description: 'As the invitations page.',
    scope: 'read',
    ok: { status: '200', schema: 'CoCreatorInvitationList', description: 'The invitations.' },
    also: {},
  },
  {
    id: 'answerCoCreatorInvitation',
    method: 'post',
    path: '/me/co_creator_invitations/{id}',
    summary: 'Accept or decline an invitation to co-create',
    description: 'Accepting credits your invited pseud (on a series, you) and lets you edit; either answer tells whoever invited you.',
    scope: 'write:works',
    body: { schema: 'CoCreatorAnswerInput', example: { answer: 'accept' } },
    ok: { status: '200', schema: 'CoCreatorAnswer', description: 'Answered.' },
    also: { '404': 'No such invitation for you (answered already, or sent to someone else).' },
  },
  {
    id: 'updateCoCreatorPreference',
    method: 'put',
    path: '/me/co_creator_preference',
    summary: 'Allow or refuse invitations to co-create',
    description: 'As the checkbox on the invitations page.',
    scope: 'write:account',
    body: { schema: 'CoCreatorPreferenceInput', example: { allows_invitations: false } },
    ok: { status: '200', schema: 'CoCreatorPreference', description: 'Saved.' },
    also: {},
  },
  {
    id: 'orphanWork',
    method: 'post',
    path: '/works/{id}/orphan',
    summary: 'Orphan a work (cannot be undone)',
    description:
      'Your credit moves to orphan_account; the work stays with its kudos, comments and stats, and you can no longer edit it. Audited.',
    scope: 'write:works',
    body: { schema: 'OrphanInput', example: { keep_pseud: true } },
    ok: { status: '200', schema: 'Orphaned', description: 'Orphaned.' },
    also: { '403': NOT_CREATOR, '404': WORK_404, '422': 'A field is not valid, or the work is a draft (drafts cannot be orphaned).' },
  },
  {
    id: 'orphanSeries',
    method: 'post',
    path: '/series/{id}/orphan',
    summary: 'Orphan a series (cannot be undone)',
    description: 'orphan_account takes your place among its creators. No body. Audited.',
    scope: 'write:works',
    ok: { status: '200', schema: 'Orphaned', description: 'Orphaned.' },
    also: { '403': NOT_CREATOR, '404': 'No such series.' },
  },
  {
    id: 'orphanAllWorks',
    method: 'post',
    path: '/me/orphan_works',
    summary: 'Orphan all your posted works (cannot be undone)',
    description: 'Every posted work you are credited on, in one transaction; drafts stay yours. Audited per work.',
    scope: 'write:works',
    body: { schema: 'OrphanInput', example: { keep_pseud: false } },
    ok: { status: '200', schema: 'OrphanedWorks', description: 'Orphaned.' },
    also: { '422': 'A field is not valid, or you have no posted works.' },
  },
  {
    id: 'orphanAllSeries',
    method: 'post',
    path: '/me/orphan_series',
    summary: 'Orphan all your series (cannot be undone)',
    description:
      'orphan_account takes your place among the creators of every series you are a creator of, in one transaction; the works in them stay yours. Audited per series.',
    scope: 'write:works',
    body: { schema: 'OrphanAllSeriesInput', example: { confirm: true } },
    ok: { status: '200', schema: 'OrphanedSeries', description: 'Orphaned.' },
    also: { '422': 'confirm is not true, or you have no series.' },
  },
];

/** Every operation id documented here, for the tests that cover them. */
export const CO_CREATOR_OPERATION_IDS: readonly string[] = SPECS.map((s) => s.id);

const idParam: ParameterObject = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The id.',
  schema: { type: 'integer', minimum: 1 },
};

export const coCreatorPaths: Record<string, PathItemObject> = pathsOfSpecs(SPECS, 'co-creators', () => idParam);

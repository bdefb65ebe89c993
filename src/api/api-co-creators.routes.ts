// /api/v1 operations of the co-creators slice: invitations (sent, listed, answered), leaving a
// credit, the invitation preference, and orphaning. Each maps its JSON onto the page's form schema
// and calls the function the page's form calls (src/co-creators). Documented in
// api-co-creators.openapi.ts.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { InvitationPreferenceSchema, InviteSchema, OrphanSchema } from '../co-creators/co-creators.schema.ts';
import * as coCreators from '../co-creators/co-creators.service.ts';
import * as orphaning from '../co-creators/orphaning.service.ts';
import { findSeriesWorkIds } from '../series/series.service.ts';
import { HttpError } from '../web/errors.tsx';
import { type ApiOperationDeps, ApiInvalidError, idOf, operation, parseBody, parseForm, sendJson, viewerIn } from './api-kit.ts';

type Id = { Params: { id: string } };

export const CoCreatorInvitationApiSchema = z.strictObject(
  { pseud: z.string({ error: 'pseud is a string: a pseud name, "name (login)" or a login.' }) },
  { error: 'Send {"pseud": "..."}.' },
);
export const CoCreatorAnswerApiSchema = z.strictObject(
  { answer: z.enum(['accept', 'decline'], { error: 'answer is "accept" or "decline".' }) },
  { error: 'Send {"answer": "accept"} or {"answer": "decline"}.' },
);
export const CoCreatorPreferenceApiSchema = z.strictObject(
  { allows_invitations: z.boolean({ error: 'allows_invitations is true or false.' }) },
  { error: 'Send {"allows_invitations": true} or false.' },
);
export const OrphanApiSchema = z.strictObject(
  { keep_pseud: z.boolean({ error: 'keep_pseud is true or false.' }) },
  { error: 'Send {"keep_pseud": true} or false.' },
);
export const OrphanAllSeriesApiSchema = z.strictObject(
  { confirm: z.literal(true, { error: 'Send {"confirm": true}: orphaning cannot be undone.' }) },
  { error: 'Send {"confirm": true}: orphaning cannot be undone.' },
);

/** The slice's refusals as API answers (the rest go through api-kit's toApiError). */
function toCoCreatorApiError(error: unknown): unknown {
  if (error instanceof coCreators.CoCreatorInputError) {
    const field = error.field === 'confirm' ? '_body' : error.field;
    return new ApiInvalidError(error.message, { [field]: error.message });
  }
  if (error instanceof coCreators.LastCreatorError) return new ApiInvalidError(error.message, { _body: error.message });
  if (error instanceof coCreators.CoCreatorNotFoundError) return new HttpError(404, error.message);
  if (error instanceof coCreators.CoCreatorForbiddenError) return new HttpError(403, error.message);
  return error;
}

async function mapped<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw toCoCreatorApiError(error);
  }
}

export function apiCoCreatorsRoutes(api: FastifyInstance, deps: ApiOperationDeps): void {
  const { db, config, requireScope, reads, writes } = deps;
  const base = config.baseUrl;
  const works = { config: writes, preParsing: requireScope('write:works') };
  const account = { config: writes, preParsing: requireScope('write:account') };
  const targetJson = (target: coCreators.CreditTarget, title: string) => ({
    type: target.kind,
    id: target.id,
    title,
    url: `${base}${coCreators.targetHref(target)}`,
  });

  for (const kind of ['work', 'series'] as const) {
    const prefix = kind === 'work' ? '/works/:id' : '/series/:id';

    api.post<Id>(
      `${prefix}/co_creator_invitations`,
      works,
      operation<Id>(async (request, reply) => {
        const viewer = viewerIn(deps, request);
        const target = { kind, id: idOf(request.params.id, kind) } as const;
        // Who may invite is decided before the body, as on the page (a stranger learns nothing from a 422).
        const { title } = await mapped(coCreators.loadCredits(db, viewer, target));
        const body = parseBody(CoCreatorInvitationApiSchema, request.body, 'The invitation was not sent');
        const form = parseForm(InviteSchema, body, 'The invitation was not sent');
        const outcome = await mapped(coCreators.inviteCoCreator(db, viewer, target, form.pseud));
        return sendJson(reply, 201, {
          invitation: { status: outcome.kind === 'added' ? 'credited' : 'invited', pseud: outcome.name, target: targetJson(target, title) },
        });
      }),
    );

    api.delete<Id>(
      `${prefix}/creators/me`,
      works,
      operation<Id>(async (request, reply) => {
        const viewer = viewerIn(deps, request);
        await mapped(coCreators.leaveCredits(db, viewer, { kind, id: idOf(request.params.id, kind) }));
        if (kind === 'work') api.pageCache.invalidateWork(idOf(request.params.id, kind));
        return reply.status(204).send();
      }),
    );
  }

  api.get(
    '/me/co_creator_invitations',
    { config: reads, preParsing: requireScope('read') },
    operation(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const [invitations, allows] = await Promise.all([
        coCreators.listInvitations(db, viewer),
        coCreators.loadAllowsInvitations(db, viewer),
      ]);
      return sendJson(reply, 200, {
        invitations: invitations.map((i) => ({
          id: i.id,
          pseud: i.pseudName,
          invited_by: i.inviterLogin,
          created_at: i.createdAt.toISOString(),
          target: targetJson(i.target, i.title),
        })),
        allows_invitations: allows,
      });
    }),
  );

  api.post<Id>(
    '/me/co_creator_invitations/:id',
    works,
    operation<Id>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const id = idOf(request.params.id, 'invitation');
      const { answer } = parseBody(CoCreatorAnswerApiSchema, request.body, 'The invitation was not answered');
      const { target, title } = await mapped(coCreators.answerInvitation(db, viewer, id, answer));
      if (answer === 'accept' && target.kind === 'work') api.pageCache.invalidateWork(target.id);
      return sendJson(reply, 200, { invitation: { id, answer, target: targetJson(target, title) } });
    }),
  );

  api.put(
    '/me/co_creator_preference',
    account,
    operation(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const body = parseBody(CoCreatorPreferenceApiSchema, request.body, 'The preference was not saved');
      const { allow } = parseForm(
        InvitationPreferenceSchema,
        { allow: body.allows_invitations ? '1' : '' },
        'The preference was not saved',
      );
      await coCreators.saveAllowsInvitations(db, viewer, allow);
      return sendJson(reply, 200, { allows_invitations: allow });
    }),
  );

  api.post<Id>(
    '/works/:id/orphan',
    works,
    operation<Id>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const id = idOf(request.params.id, 'work');
      await mapped(coCreators.loadCredits(db, viewer, { kind: 'work', id }));
      const body = parseBody(OrphanApiSchema, request.body, 'The work was not orphaned');
      const form = parseForm(OrphanSchema, { pseud: body.keep_pseud ? 'keep' : 'orphan_account' }, 'The work was not orphaned');
      const { title } = await mapped(orphaning.orphanWork(db, viewer, id, form.pseud === 'keep'));
      api.pageCache.invalidateWork(id);
      return sendJson(reply, 200, { orphaned: targetJson({ kind: 'work', id }, title) });
    }),
  );

  api.post<Id>(
    '/series/:id/orphan',
    works,
    operation<Id>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const id = idOf(request.params.id, 'series');
      const { title } = await mapped(orphaning.orphanSeries(db, viewer, id));
      for (const w of await findSeriesWorkIds(db, id)) api.pageCache.invalidateWork(w.work_id);
      return sendJson(reply, 200, { orphaned: targetJson({ kind: 'series', id }, title) });
    }),
  );

  api.post(
    '/me/orphan_works',
    works,
    operation(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const body = parseBody(OrphanApiSchema, request.body, 'Nothing was orphaned');
      const before = await orphaning.findOrphanableWorks(db, viewer);
      const { orphaned } = await mapped(orphaning.orphanAllWorks(db, viewer, body.keep_pseud));
      for (const w of before.posted) api.pageCache.invalidateWork(w.id);
      return sendJson(reply, 200, { orphaned });
    }),
  );

  api.post(
    '/me/orphan_series',
    works,
    operation(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      parseBody(OrphanAllSeriesApiSchema, request.body, 'Nothing was orphaned');
      const { orphaned, seriesIds } = await mapped(orphaning.orphanAllSeries(db, viewer));
      for (const id of seriesIds) for (const w of await findSeriesWorkIds(db, id)) api.pageCache.invalidateWork(w.work_id);
      return sendJson(reply, 200, { orphaned });
    }),
  );
}

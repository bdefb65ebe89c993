import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { RouteDeps } from '../app-deps.ts';
import { findSeriesWorkIds } from '../series/series.service.ts';
import { HttpError } from '../web/errors.tsx';
import { formValues, parseId, toFieldErrors, type FieldErrors } from '../web/form.ts';
import { pageContext, requireViewer } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { setFlash } from '../web/session.ts';
import type { Viewer } from '../web/viewer.ts';
import { WorkForbiddenError, WorkNotFoundError } from '../works/works.service.ts';
import { InvitationPreferenceSchema, InviteSchema, OrphanAllSeriesSchema, OrphanSchema } from './co-creators.schema.ts';
import * as service from './co-creators.service.ts';
import { CreditsPage, InvitationsPage, OrphanAllSeriesPage, OrphanConfirmPage, type OrphanScope } from './co-creators.views.tsx';
import * as orphaning from './orphaning.service.ts';

type IdParams = { Params: { id: string } };
type Kind = service.CreditTarget['kind'];

/** The service's refusals as the statuses the pages answer with; input errors are handled by each form. */
export function toHttpError(error: unknown): never {
  if (error instanceof WorkNotFoundError || error instanceof service.CoCreatorNotFoundError) throw new HttpError(404, error.message);
  if (error instanceof WorkForbiddenError || error instanceof service.CoCreatorForbiddenError) throw new HttpError(403, error.message);
  if (error instanceof service.LastCreatorError) throw new HttpError(422, error.message);
  throw error;
}

export function coCreatorsRoutes(app: FastifyInstance, { db, config, workPanels }: RouteDeps): void {
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, config.siteName);

  /** Guests' cached copies of every work whose credits changed (a series' byline shows on its works' pages). */
  const dropCached = async (target: service.CreditTarget) => {
    if (target.kind === 'work') app.pageCache.invalidateWork(target.id);
    else for (const w of await findSeriesWorkIds(db, target.id)) app.pageCache.invalidateWork(w.work_id);
  };

  workPanels.register({
    id: 'co-creators',
    slot: 'actions',
    order: 66,
    // The same for every signed-in reader who is not a creator (the only readers of the shared page, docs/decisions/033).
    personalWhen: () => sql<boolean>`false`,
    async render({ viewer, work, creatorUserIds }) {
      if (!viewer || !creatorUserIds.includes(viewer.id)) return null;
      return (
        <a class="button button-secondary" href={`/works/${work.id}/creators`}>
          Co-creators
        </a>
      );
    },
  });

  const targetOf = (kind: Kind, raw: string): service.CreditTarget => {
    const id = parseId(raw);
    if (id === null) throw new HttpError(404, `There is no ${kind} with this id. Ids are whole numbers.`);
    return { kind, id };
  };

  const renderCredits = async (
    request: FastifyRequest,
    reply: FastifyReply,
    viewer: Viewer,
    target: service.CreditTarget,
    values: { pseud?: string },
    errors: FieldErrors,
    status: number,
  ) => {
    const credits = await service.loadCredits(db, viewer, target).catch(toHttpError);
    return sendPage(reply, <CreditsPage ctx={ctx(request, reply)} credits={credits} values={values} errors={errors} />, status);
  };

  for (const kind of ['work', 'series'] as const) {
    const base = kind === 'work' ? '/works/:id' : '/series/:id';

    app.get<IdParams>(`${base}/creators`, async (request, reply) => {
      const viewer = requireViewer(request);
      return renderCredits(request, reply, viewer, targetOf(kind, request.params.id), {}, {}, 200);
    });

    app.post<IdParams>(`${base}/creators/invitations`, async (request, reply) => {
      const viewer = requireViewer(request);
      const target = targetOf(kind, request.params.id);
      const values = formValues(request.body);
      const parsed = InviteSchema.safeParse(request.body ?? {});
      if (!parsed.success) return renderCredits(request, reply, viewer, target, values, toFieldErrors(parsed.error), 422);
      try {
        const outcome = await service.inviteCoCreator(db, viewer, target, parsed.data.pseud);
        if (outcome.kind === 'added') await dropCached(target);
        setFlash(
          request,
          reply,
          outcome.kind === 'added'
            ? `${outcome.name} is now credited.`
            : `${outcome.name} was invited. They are credited once they accept.`,
        );
        return reply.redirect(`${service.targetHref(target)}/creators`, 303);
      } catch (error) {
        if (error instanceof service.CoCreatorInputError)
          return renderCredits(request, reply, viewer, target, values, { [error.field]: error.message }, 422);
        return toHttpError(error);
      }
    });

    app.post<IdParams>(`${base}/creators/leave`, async (request, reply) => {
      const viewer = requireViewer(request);
      const target = targetOf(kind, request.params.id);
      const { title } = await service.leaveCredits(db, viewer, target).catch(toHttpError);
      await dropCached(target);
      setFlash(request, reply, `You are no longer a creator of “${title}”.`);
      return reply.redirect(service.targetHref(target), 303);
    });

    const renderOrphan = async (
      request: FastifyRequest,
      reply: FastifyReply,
      viewer: Viewer,
      target: service.CreditTarget,
      values: { pseud?: string },
      errors: FieldErrors,
      status: number,
    ) => {
      const credits = await service.loadCredits(db, viewer, target).catch(toHttpError);
      const scope: OrphanScope = { kind: target.kind, id: target.id, title: credits.title };
      return sendPage(reply, <OrphanConfirmPage ctx={ctx(request, reply)} scope={scope} values={values} errors={errors} />, status);
    };

    app.get<IdParams>(`${base}/orphan`, async (request, reply) => {
      const viewer = requireViewer(request);
      return renderOrphan(request, reply, viewer, targetOf(kind, request.params.id), {}, {}, 200);
    });

    app.post<IdParams>(`${base}/orphan`, async (request, reply) => {
      const viewer = requireViewer(request);
      const target = targetOf(kind, request.params.id);
      const values = formValues(request.body);
      const parsed = OrphanSchema.safeParse(request.body ?? {});
      if (!parsed.success) return renderOrphan(request, reply, viewer, target, values, toFieldErrors(parsed.error), 422);
      try {
        const { title } =
          kind === 'work'
            ? await orphaning.orphanWork(db, viewer, target.id, parsed.data.pseud === 'keep')
            : await orphaning.orphanSeries(db, viewer, target.id);
        await dropCached(target);
        setFlash(request, reply, `“${title}” was orphaned. It stays on the archive, credited to the orphan account.`);
        return reply.redirect(service.targetHref(target), 303);
      } catch (error) {
        if (error instanceof service.CoCreatorInputError)
          return renderOrphan(request, reply, viewer, target, values, { [error.field]: error.message }, 422);
        return toHttpError(error);
      }
    });
  }

  const renderOrphanAll = async (
    request: FastifyRequest,
    reply: FastifyReply,
    viewer: Viewer,
    values: { pseud?: string },
    errors: FieldErrors,
    status: number,
  ) => {
    const { posted, drafts } = await orphaning.findOrphanableWorks(db, viewer);
    const scope: OrphanScope = { kind: 'all', titles: posted.map((w) => w.title), drafts: drafts.length };
    return sendPage(reply, <OrphanConfirmPage ctx={ctx(request, reply)} scope={scope} values={values} errors={errors} />, status);
  };

  app.get('/orphans', async (request, reply) => renderOrphanAll(request, reply, requireViewer(request), {}, {}, 200));

  app.post('/orphans', async (request, reply) => {
    const viewer = requireViewer(request);
    const values = formValues(request.body);
    const parsed = OrphanSchema.safeParse(request.body ?? {});
    if (!parsed.success) return renderOrphanAll(request, reply, viewer, values, toFieldErrors(parsed.error), 422);
    const before = await orphaning.findOrphanableWorks(db, viewer);
    try {
      const { orphaned } = await orphaning.orphanAllWorks(db, viewer, parsed.data.pseud === 'keep');
      for (const w of before.posted) app.pageCache.invalidateWork(w.id);
      setFlash(request, reply, `${orphaned === 1 ? 'One work was' : `${orphaned} works were`} orphaned.`);
      return reply.redirect(`/users/${encodeURIComponent(viewer.login)}/works`, 303);
    } catch (error) {
      if (error instanceof service.CoCreatorInputError)
        return renderOrphanAll(request, reply, viewer, values, { [error.field]: error.message }, 422);
      return toHttpError(error);
    }
  });

  const renderOrphanAllSeries = async (
    request: FastifyRequest,
    reply: FastifyReply,
    viewer: Viewer,
    errors: FieldErrors,
    status: number,
  ) => {
    const series = await orphaning.findOrphanableSeries(db, viewer);
    const titles = series.map((s) => s.title);
    return sendPage(reply, <OrphanAllSeriesPage ctx={ctx(request, reply)} titles={titles} errors={errors} />, status);
  };

  app.get('/orphans/series', async (request, reply) => renderOrphanAllSeries(request, reply, requireViewer(request), {}, 200));

  app.post('/orphans/series', async (request, reply) => {
    const viewer = requireViewer(request);
    const parsed = OrphanAllSeriesSchema.safeParse(request.body ?? {});
    if (!parsed.success) return renderOrphanAllSeries(request, reply, viewer, toFieldErrors(parsed.error), 422);
    try {
      const { orphaned, seriesIds } = await orphaning.orphanAllSeries(db, viewer);
      for (const id of seriesIds) await dropCached({ kind: 'series', id });
      setFlash(request, reply, `${orphaned === 1 ? 'One series was' : `${orphaned} series were`} orphaned.`);
      return reply.redirect(`/users/${encodeURIComponent(viewer.login)}`, 303);
    } catch (error) {
      if (error instanceof service.CoCreatorInputError)
        return renderOrphanAllSeries(request, reply, viewer, { [error.field]: error.message }, 422);
      return toHttpError(error);
    }
  });

  const renderInvitations = async (request: FastifyRequest, reply: FastifyReply, viewer: Viewer) => {
    const [invitations, allows] = await Promise.all([service.listInvitations(db, viewer), service.loadAllowsInvitations(db, viewer)]);
    return sendPage(reply, <InvitationsPage ctx={ctx(request, reply)} invitations={invitations} allowsInvitations={allows} />);
  };

  app.get('/co_creator_invitations', async (request, reply) => renderInvitations(request, reply, requireViewer(request)));

  for (const answer of ['accept', 'decline'] as const) {
    app.post<IdParams>(`/co_creator_invitations/:id/${answer}`, async (request, reply) => {
      const viewer = requireViewer(request);
      const id = parseId(request.params.id);
      if (id === null) throw new HttpError(404, 'There is no such invitation. Invitation ids are whole numbers.');
      const { target, title } = await service.answerInvitation(db, viewer, id, answer).catch(toHttpError);
      if (answer === 'accept') {
        await dropCached(target);
        setFlash(request, reply, `You are now a creator of “${title}”.`);
        return reply.redirect(service.targetHref(target), 303);
      }
      setFlash(request, reply, `You declined the invitation to “${title}”.`);
      return reply.redirect('/co_creator_invitations', 303);
    });
  }

  app.post('/co_creator_invitations/preference', async (request, reply) => {
    const viewer = requireViewer(request);
    const { allow } = InvitationPreferenceSchema.parse(request.body ?? {});
    await service.saveAllowsInvitations(db, viewer, allow);
    setFlash(request, reply, allow ? 'Other creators may invite you as a co-creator.' : 'Nobody can invite you as a co-creator now.');
    return reply.redirect('/co_creator_invitations', 303);
  });
}

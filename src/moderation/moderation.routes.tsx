import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { RouteDeps } from '../app-deps.ts';
import * as accountsRepo from '../accounts/accounts.service.ts';
import { formatDate } from '../lib/dates.ts';
import * as worksRepo from '../works/works.service.ts';
import type { Viewer } from '../web/viewer.ts';
import { HttpError } from '../web/errors.tsx';
import { formValues, parseId, toFieldErrors, type FieldErrors } from '../web/form.ts';
import { pageContext, requireViewer } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { setFlash } from '../web/session.ts';
import { requireAdmin, requireStaff } from './moderation.policy.ts';
import * as repo from './moderation.repo.ts';
import { DeleteWorkSchema, HideWorkSchema, NoteSchema, ReportSchema, RoleSchema, SuspendUserSchema } from './moderation.schema.ts';
import * as service from './moderation.service.ts';
import {
  HiddenWorkNotice,
  ModerationQueuePage,
  ReportFormPage,
  UserModerationPage,
  WorkModerationPage,
  type QueueItemView,
} from './moderation.views.tsx';

type IdParams = { Params: { id: string } };
type LoginParams = { Params: { login: string } };

function toHttp(error: unknown): never {
  if (error instanceof service.ModerationTargetMissingError) throw new HttpError(404, error.message);
  if (error instanceof service.ModerationForbiddenError) throw new HttpError(403, error.message);
  throw error;
}

export function moderationRoutes(app: FastifyInstance, { db, config, workPanels }: RouteDeps): void {
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, config.siteName);
  const changed = (workId: number) => app.pageCache.invalidateWork(workId);

  workPanels.register({
    id: 'moderation-report',
    slot: 'actions',
    order: 900,
    personalWhen: () => sql<boolean>`false`,
    render: async ({ work }) => (
      <a class="button button-secondary" href={`/reports/new?type=work&id=${work.id}`}>
        Report
      </a>
    ),
  });
  workPanels.register({
    id: 'moderation-hidden-notice',
    slot: 'beforeText',
    order: 0,
    // Hidden works are never shared between readers (docs/decisions/033): on a shared page this is always empty.
    personalWhen: () => sql<boolean>`false`,
    // A hidden work's page is shown only to its creators and staff (works.policy.ts), so whoever sees this may know why.
    render: async ({ db: panelDb, work }) => {
      const hidden = await repo.findHiddenWork(panelDb, work.id);
      return hidden ? <HiddenWorkNotice reason={hidden.reason} /> : null;
    },
  });

  // What may be reported, and how it is named: one function for the form, the queue and the API (moderation.service.ts).
  const describeTarget = (type: string, id: number, viewer: Viewer | null) => service.describeReportTarget(db, type, id, viewer);

  // ---- reports -------------------------------------------------------------------------

  app.get<{ Querystring: { type?: string; id?: string } }>('/reports/new', async (request, reply) => {
    requireViewer(request);
    const id = parseId(request.query.id);
    const target = id === null ? null : await describeTarget(request.query.type ?? '', id, request.viewer);
    if (!target) throw new HttpError(404, 'There is nothing to report at this address. Use the Report button on a work or profile.');
    return sendPage(reply, <ReportFormPage ctx={ctx(request, reply)} target={target} values={{}} errors={{}} />);
  });

  app.post('/reports', { config: { rateLimit: { max: 30, timeWindow: '1 hour' } } }, async (request, reply) => {
    const viewer = requireViewer(request);
    const values = formValues(request.body);
    const parsed = ReportSchema.safeParse(request.body ?? {});
    const targetId = parseId(values.target_id);
    const target = targetId === null ? null : await describeTarget(values.target_type ?? '', targetId, viewer);
    if (!target) throw new HttpError(404, 'There is nothing to report with this id.');
    if (!parsed.success) {
      return sendPage(
        reply,
        <ReportFormPage ctx={ctx(request, reply)} target={target} values={values} errors={toFieldErrors(parsed.error)} />,
        422,
      );
    }
    await service.fileReport(db, viewer, parsed.data).catch(toHttp);
    setFlash(request, reply, 'Thank you. Your report has been sent to the moderators.');
    return reply.redirect(target.href ?? '/', 303);
  });

  // ---- the queue -----------------------------------------------------------------------

  app.get('/moderation', async (request, reply) => {
    requireStaff(request.viewer);
    const reports = await repo.findOpenReports(db);
    const items: QueueItemView[] = [];
    for (const r of reports) {
      const target = (await describeTarget(r.target_type, r.target_id, request.viewer)) ?? {
        type: r.target_type,
        id: r.target_id,
        label: `${r.target_type} ${r.target_id} (gone)`,
        href: null,
      };
      let moderateHref: string | null = null;
      if (target.href && r.target_type === 'work') moderateHref = `/moderation/works/${r.target_id}`;
      if (target.href && r.target_type === 'user') moderateHref = `/moderation${target.href}`;
      items.push({
        id: r.id,
        target,
        reason: r.reason,
        details: r.details,
        reporter: r.reporter_login ?? 'a deleted account',
        when: formatDate(r.created_at),
        moderateHref,
      });
    }
    return sendPage(reply, <ModerationQueuePage ctx={ctx(request, reply)} items={items} />);
  });

  app.post<IdParams>('/moderation/reports/:id/handled', async (request, reply) => {
    const actor = requireStaff(request.viewer);
    const id = parseId(request.params.id);
    if (id === null) throw new HttpError(404, 'There is no report with this id.');
    const parsed = NoteSchema.safeParse(request.body ?? {});
    if (!parsed.success) throw new HttpError(422, toFieldErrors(parsed.error).note ?? 'The note is not valid.');
    await service.handleReport(db, actor, id, parsed.data.note).catch(toHttp);
    setFlash(request, reply, `Report ${id} marked handled.`);
    return reply.redirect('/moderation', 303);
  });

  // ---- works ---------------------------------------------------------------------------

  const renderWork = async (request: FastifyRequest, reply: FastifyReply, workId: number, errors: FieldErrors = {}, status = 200) => {
    const work = await worksRepo.findWorkRow(db, workId);
    if (!work) throw new HttpError(404, 'There is no work with this id.');
    const creators = await worksRepo.findCreatorsOfWorks(db, [workId]);
    const view = { id: work.id, title: work.title, creators: creators.map((c) => c.pseud_name), hiddenReason: work.hidden_reason ?? null };
    return sendPage(reply, <WorkModerationPage ctx={ctx(request, reply)} work={view} errors={errors} />, status);
  };
  const workIdOf = (raw: string) => {
    const id = parseId(raw);
    if (id === null) throw new HttpError(404, 'There is no work with this id.');
    return id;
  };

  app.get<IdParams>('/moderation/works/:id', async (request, reply) => {
    requireStaff(request.viewer);
    return renderWork(request, reply, workIdOf(request.params.id));
  });

  app.post<IdParams>('/moderation/works/:id/hide', async (request, reply) => {
    const actor = requireStaff(request.viewer);
    const workId = workIdOf(request.params.id);
    const parsed = HideWorkSchema.safeParse(request.body ?? {});
    if (!parsed.success) return renderWork(request, reply, workId, toFieldErrors(parsed.error), 422);
    await service.hideWork(db, actor, workId, parsed.data.reason).catch(toHttp);
    changed(workId);
    setFlash(request, reply, 'The work is hidden. Its creator can see it, with your reason.');
    return reply.redirect(`/moderation/works/${workId}`, 303);
  });

  app.post<IdParams>('/moderation/works/:id/unhide', async (request, reply) => {
    const actor = requireStaff(request.viewer);
    const workId = workIdOf(request.params.id);
    const reason = formValues(request.body).reason?.trim().slice(0, 2000) ?? '';
    await service.unhideWork(db, actor, workId, reason).catch(toHttp);
    changed(workId);
    setFlash(request, reply, 'The work is visible again.');
    return reply.redirect(`/moderation/works/${workId}`, 303);
  });

  app.post<IdParams>('/moderation/works/:id/delete', async (request, reply) => {
    const actor = requireStaff(request.viewer);
    const workId = workIdOf(request.params.id);
    const parsed = DeleteWorkSchema.safeParse(request.body ?? {});
    if (!parsed.success) return renderWork(request, reply, workId, toFieldErrors(parsed.error), 422);
    const title = await service.deleteWorkAsStaff(db, actor, workId, parsed.data.reason).catch(toHttp);
    changed(workId);
    setFlash(request, reply, `The work ${title} was deleted.`);
    return reply.redirect('/moderation', 303);
  });

  // ---- users ---------------------------------------------------------------------------

  const findUser = async (login: string) => {
    const user = await accountsRepo.findUserByLogin(db, login);
    if (!user) throw new HttpError(404, `There is no user called ${login}.`);
    return user;
  };

  const renderUser = async (request: FastifyRequest<LoginParams>, reply: FastifyReply, errors: FieldErrors = {}, status = 200) => {
    const viewer = requireStaff(request.viewer);
    const user = await findUser(request.params.login);
    const suspension = await repo.findActiveSuspension(db, user.id);
    const view = {
      login: user.login,
      id: user.id,
      email: user.email,
      joined: formatDate(user.created_at),
      isAdmin: user.is_admin,
      roles: await repo.findRolesOfUser(db, user.id),
      suspension: suspension ? service.suspensionNotice(suspension) : null,
    };
    return sendPage(
      reply,
      <UserModerationPage ctx={ctx(request, reply)} user={view} canManageRoles={viewer.isAdmin} errors={errors} />,
      status,
    );
  };

  app.get<LoginParams>('/moderation/users/:login', (request, reply) => renderUser(request, reply));

  app.post<LoginParams>('/moderation/users/:login/suspend', async (request, reply) => {
    const actor = requireStaff(request.viewer);
    const user = await findUser(request.params.login);
    const parsed = SuspendUserSchema.safeParse(request.body ?? {});
    if (!parsed.success) return renderUser(request, reply, toFieldErrors(parsed.error), 422);
    await service.suspendUser(db, actor, user.id, parsed.data).catch(toHttp);
    setFlash(request, reply, `${user.login} is ${parsed.data.duration === 'permanent' ? 'banned' : 'suspended'}.`);
    return reply.redirect(`/moderation/users/${encodeURIComponent(user.login)}`, 303);
  });

  app.post<LoginParams>('/moderation/users/:login/unsuspend', async (request, reply) => {
    const actor = requireStaff(request.viewer);
    const user = await findUser(request.params.login);
    const reason = formValues(request.body).reason?.trim().slice(0, 2000) ?? '';
    await service.liftSuspension(db, actor, user.id, reason).catch(toHttp);
    setFlash(request, reply, `${user.login} can log in again.`);
    return reply.redirect(`/moderation/users/${encodeURIComponent(user.login)}`, 303);
  });

  app.post<LoginParams>('/moderation/users/:login/roles', async (request, reply) => {
    const actor = requireAdmin(request.viewer);
    const user = await findUser(request.params.login);
    const parsed = RoleSchema.safeParse(request.body ?? {});
    if (!parsed.success) return renderUser(request, reply, toFieldErrors(parsed.error), 422);
    await service.setRole(db, actor, user.id, parsed.data.role, parsed.data.grant === 'grant').catch(toHttp);
    setFlash(request, reply, `Roles of ${user.login} updated.`);
    return reply.redirect(`/moderation/users/${encodeURIComponent(user.login)}`, 303);
  });
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RouteDeps } from '../app-deps.ts';
import { findUserByLogin } from '../accounts/accounts.service.ts';
import { HttpError } from '../web/errors.tsx';
import { toFieldErrors } from '../web/form.ts';
import { pageContext, requireViewer, safeReturnPath } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { setFlash } from '../web/session.ts';
import { WORK_UPDATED_JOB } from './events.ts';
import { createMailer, type Mailer } from './mailer.ts';
import { isSelf } from './subscriptions.policy.ts';
import { PreferencesSchema, SubscribeSchema } from './subscriptions.schema.ts';
import * as service from './subscriptions.service.ts';
import { CreatorSubscriptionPage, SubscribeButton, SubscriptionsPage } from './subscriptions.views.tsx';
import type { JobHandler } from '../jobs/runner.ts';

type LoginParams = { Params: { login: string } };

const WorkUpdatedPayload = z.discriminatedUnion('event', [
  z.object({ event: z.literal('chapter'), workId: z.number().int(), chapterId: z.number().int() }),
  z.object({ event: z.literal('work'), workId: z.number().int() }),
  z.object({ event: z.literal('series'), workId: z.number().int(), seriesId: z.number().int() }),
]);
const EmailPayload = z.object({ notificationId: z.number().int() });
const DigestPayload = z.object({ userId: z.number().int() });

/** The fan-out job's handler: one event to every subscriber (see fanOutWorkUpdate). */
export function workUpdatedHandler(options: { emailEnabled: boolean }): JobHandler {
  return async (db, payload) => {
    await service.fanOutWorkUpdate(db, WorkUpdatedPayload.parse(payload), options);
  };
}

/** The email job's handler; tests register it again with a transport of their own. */
export function emailHandler(ctx: service.MailContext): JobHandler {
  return async (db, payload) => {
    await service.sendNotificationEmail(db, ctx, EmailPayload.parse(payload).notificationId);
  };
}

export function digestHandler(ctx: service.MailContext): JobHandler {
  return async (db, payload) => {
    await service.sendDigestEmail(db, ctx, DigestPayload.parse(payload).userId);
  };
}

function toHttp(error: unknown): never {
  if (error instanceof service.SubscriptionRefusedError) throw new HttpError(error.status, error.message);
  throw error;
}

export function subscriptionsRoutes(
  app: FastifyInstance,
  { db, config, jobs, workPanels }: RouteDeps,
  options: { mailer?: Mailer } = {},
): void {
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, config.siteName);
  const mailer = options.mailer ?? createMailer(config.smtpUrl, config.mailFrom);
  const emailEnabled = mailer !== undefined;
  jobs.register(WORK_UPDATED_JOB, workUpdatedHandler({ emailEnabled }));
  if (mailer) {
    const mailContext = { mailer, baseUrl: config.baseUrl, siteName: config.siteName };
    jobs.register(service.EMAIL_JOB, emailHandler(mailContext));
    jobs.register(service.DIGEST_JOB, digestHandler(mailContext));
  }

  workPanels.register({
    id: 'subscribe',
    slot: 'actions',
    order: 40,
    personalWhen: service.workSubscriptionPersonalSql,
    async render({ db: panelDb, viewer, work, csrfToken }) {
      // Guests' pages are cached and shared: they get no per-visitor button.
      if (!viewer || work.isDraft || work.creators.some((c) => c.login === viewer.login)) return null;
      const subscribed = (await service.findSubscriptionId(panelDb, viewer.id, { kind: 'work', id: work.id })) !== undefined;
      return (
        <SubscribeButton csrfToken={csrfToken()} kind="work" id={work.id} subscribed={subscribed} label="this work" returnTo={work.href} />
      );
    },
  });

  const parseTarget = (body: unknown) => {
    const parsed = SubscribeSchema.safeParse(body ?? {});
    if (!parsed.success) throw new HttpError(422, Object.values(toFieldErrors(parsed.error))[0] ?? 'Say what to subscribe to.');
    return parsed.data;
  };
  const fallbackFor = (t: { kind: string; id: number }) =>
    t.kind === 'work' ? `/works/${t.id}` : t.kind === 'series' ? `/series/${t.id}` : '/';

  // Subscribing is cheap to ask and each one is a standing fan-out cost: bounded per address.
  app.post('/subscriptions', { config: { rateLimit: { max: 120, timeWindow: '10 minutes' } } }, async (request, reply) => {
    const viewer = requireViewer(request);
    const input = parseTarget(request.body);
    await service.subscribe(db, viewer, { kind: input.kind, id: input.id }).catch(toHttp);
    setFlash(request, reply, 'You are subscribed. Updates will arrive in your inbox.');
    return reply.redirect(safeReturnPath(input.return_to, fallbackFor(input)), 303);
  });

  app.post('/subscriptions/delete', async (request, reply) => {
    const viewer = requireViewer(request);
    const input = parseTarget(request.body);
    await service.unsubscribe(db, viewer, { kind: input.kind, id: input.id });
    setFlash(request, reply, 'You are unsubscribed.');
    return reply.redirect(safeReturnPath(input.return_to, fallbackFor(input)), 303);
  });

  /** The viewer's own page; anyone else's gives a 403. */
  const requireOwnPage = async (request: FastifyRequest<LoginParams>) => {
    const viewer = requireViewer(request);
    const user = await findUserByLogin(db, request.params.login);
    if (!user) throw new HttpError(404, `There is no user called ${request.params.login.slice(0, 40)}.`);
    if (!isSelf(viewer, user.id)) throw new HttpError(403, 'You can only see your own subscriptions.');
    return viewer;
  };

  const renderList = async (request: FastifyRequest<LoginParams>, reply: FastifyReply, error?: string) => {
    const viewer = await requireOwnPage(request);
    const [items, emailMode] = await Promise.all([service.listSubscriptions(db, viewer), service.findEmailMode(db, viewer.id)]);
    return sendPage(
      reply,
      <SubscriptionsPage
        ctx={ctx(request, reply)}
        login={viewer.login}
        items={items}
        emailMode={emailMode}
        emailAvailable={emailEnabled}
        {...(error ? { error } : {})}
      />,
      error ? 422 : 200,
    );
  };

  app.get<LoginParams>('/users/:login/subscriptions', (request, reply) => renderList(request, reply));

  app.post<LoginParams>('/users/:login/subscriptions/preferences', async (request, reply) => {
    const viewer = await requireOwnPage(request);
    const parsed = PreferencesSchema.safeParse(request.body ?? {});
    if (!parsed.success) return renderList(request, reply, toFieldErrors(parsed.error).email_mode ?? 'Choose an email option.');
    await service.setEmailMode(db, viewer, parsed.data.email_mode);
    setFlash(request, reply, 'Your email choice was saved.');
    return reply.redirect(`/users/${encodeURIComponent(viewer.login)}/subscriptions`, 303);
  });

  app.get<LoginParams>('/users/:login/subscription', async (request, reply) => {
    const viewer = requireViewer(request);
    const user = await findUserByLogin(db, request.params.login);
    if (!user) throw new HttpError(404, `There is no user called ${request.params.login.slice(0, 40)}.`);
    if (user.id === viewer.id) throw new HttpError(422, 'You cannot subscribe to yourself.');
    const subscribed = (await service.findSubscriptionId(db, viewer.id, { kind: 'creator', id: user.id })) !== undefined;
    return sendPage(
      reply,
      <CreatorSubscriptionPage ctx={ctx(request, reply)} login={user.login} userId={user.id} subscribed={subscribed} />,
    );
  });
}

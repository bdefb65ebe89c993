import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { RouteDeps } from '../app-deps.ts';
import { isEmailVerified, isVerificationRequired } from '../accounts/email-verification.ts';
import { mailerOf } from '../accounts/mailer.ts';
import { HttpError } from '../web/errors.tsx';
import { formValues, toFieldErrors } from '../web/form.ts';
import { pageContext, requireViewer } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { setFlash } from '../web/session.ts';
import * as service from './notifications.service.ts';
import { NotificationSettingsPage, UnsubscribePage } from './notifications.views.tsx';

const choice = z.enum(['each', 'digest', 'off'], { error: 'Choose each time, daily digest or no email.' });
const PreferencesSchema = z.object({ comments: choice, replies: choice, kudos: choice, gifts: choice, related_works: choice });

const NOT_A_LINK =
  'This unsubscribe link does not work: copy the whole link from the email, or change your choices in your notification settings.';

/** Email for comments, replies, kudos, gifts and related works: the jobs that send it, the settings page and the unsubscribe links. */
export function notificationsRoutes(app: FastifyInstance, { db, config, jobs }: RouteDeps): void {
  const mailContext: service.NotificationMailContext = {
    mailer: mailerOf(app, config),
    baseUrl: config.baseUrl,
    siteName: () => app.siteSettings.name || config.siteName,
    // Like subscriptions' mail: nothing is mailed (or logged) when no mail server is configured.
    enabled: Boolean(config.smtpUrl),
    mayMail: async (jobDb, userId) => !isVerificationRequired(app.siteSettings, config) || (await isEmailVerified(jobDb, userId)),
  };
  jobs.register(service.NOTIFICATION_MAIL_JOB, (jobDb, payload) => service.deliverNotification(jobDb, mailContext, payload));
  jobs.register(service.NOTIFICATION_DIGEST_JOB, async (jobDb, payload) => {
    await service.sendNotificationDigest(jobDb, mailContext, payload);
  });
  const ctx = (request: Parameters<typeof pageContext>[0], reply: Parameters<typeof pageContext>[1]) =>
    pageContext(request, reply, config.siteName);

  const requireSelf = (request: Parameters<typeof requireViewer>[0] & { params: { login: string } }) => {
    const viewer = requireViewer(request);
    if (viewer.login.toLowerCase() !== request.params.login.toLowerCase())
      throw new HttpError(403, 'You can only change your own notification settings.');
    return viewer;
  };

  app.get<{ Params: { login: string } }>('/users/:login/notifications', async (request, reply) => {
    const viewer = requireSelf(request);
    const values = await service.findNotificationPreferences(db, viewer.id);
    return sendPage(
      reply,
      <NotificationSettingsPage
        ctx={ctx(request, reply)}
        login={viewer.login}
        values={values}
        errors={{}}
        mailEnabled={mailContext.enabled}
      />,
    );
  });

  app.post<{ Params: { login: string } }>('/users/:login/notifications', async (request, reply) => {
    const viewer = requireSelf(request);
    const parsed = PreferencesSchema.safeParse(formValues(request.body));
    if (!parsed.success) {
      return sendPage(
        reply,
        <NotificationSettingsPage
          ctx={ctx(request, reply)}
          login={viewer.login}
          values={formValues(request.body)}
          errors={toFieldErrors(parsed.error)}
          mailEnabled={mailContext.enabled}
        />,
        422,
      );
    }
    await service.saveNotificationPreferences(db, viewer.id, parsed.data);
    setFlash(request, reply, 'Notification settings saved.');
    return reply.redirect(`/users/${encodeURIComponent(viewer.login)}/notifications`, 303);
  });

  // One click from the mail opens a confirmation, never a change: mail scanners follow links.
  // The button posts back with the page's CSRF token, and the signed token says whose mail it is,
  // so it works without signing in.
  app.get<{ Params: { token: string } }>('/unsubscribe/:token', async (request, reply) => {
    const u = await service.readUnsubscribeLink(db, request.params.token);
    if (!u) throw new HttpError(404, NOT_A_LINK);
    return sendPage(
      reply,
      <UnsubscribePage ctx={ctx(request, reply)} token={request.params.token} what={u.what} email={u.email} login={u.login} done={false} />,
    );
  });

  app.post<{ Params: { token: string } }>('/unsubscribe/:token', async (request, reply) => {
    const u = await service.readUnsubscribeLink(db, request.params.token);
    if (!u) throw new HttpError(404, NOT_A_LINK);
    await service.applyUnsubscribe(db, u);
    return sendPage(
      reply,
      <UnsubscribePage ctx={ctx(request, reply)} token={request.params.token} what={u.what} email={u.email} login={u.login} done />,
    );
  });
}

import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../app-deps.ts';
import { formValues } from '../web/form.ts';
import { pageContext, requireViewer, safeReturnPath } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { setFlash } from '../web/session.ts';
import {
  findAccountEmail,
  isEmailVerified,
  isVerificationRequired,
  requestVerificationMail,
  sendVerificationMail,
  VERIFY_EMAIL_JOB,
  VERIFY_HOURS,
  verifyEmailLink,
} from './email-verification.ts';
import { VerifyEmailNeededPage, VerifyEmailResultPage } from './email-verification.views.tsx';
import { mailerOf } from './mailer.ts';

/**
 * What an unverified account may not do: make works, chapters and comments others will see.
 * The forms too (GET), so nobody types a chapter into a form they cannot send.
 */
const POSTING_ROUTES = new Set([
  'GET /works/new',
  'POST /works',
  'POST /works/:id/post',
  'GET /works/:id/chapters/new',
  'POST /works/:id/chapters',
  'GET /works/import',
  'POST /works/import',
  'POST /works/import/post',
  'POST /works/:id/comments',
  'POST /admin_posts/:id/comments',
  // The API posts works and comments too: no token, personal or an app's, before confirming.
  'POST /users/:login/api_tokens',
  'POST /oauth/authorize',
]);

/** Email verification at sign-up: the mail job, the link, the resend button and the guard on posting. */
export function emailVerificationRoutes(app: FastifyInstance, { db, config, jobs }: RouteDeps): void {
  const site = () => app.siteSettings.name || config.siteName;
  const mailer = mailerOf(app, config);
  jobs.register(VERIFY_EMAIL_JOB, (jobDb, payload) =>
    sendVerificationMail(jobDb, { mailer, baseUrl: config.baseUrl, siteName: site }, payload),
  );

  app.addHook('preHandler', async (request, reply) => {
    const viewer = request.viewer;
    if (!viewer || !POSTING_ROUTES.has(`${request.method} ${request.routeOptions.url}`)) return;
    if (!isVerificationRequired(app.siteSettings, config) || (await isEmailVerified(db, viewer.id))) return;
    const email = (await findAccountEmail(db, viewer.id)) ?? '';
    const fields = request.method === 'POST' ? formValues(request.body) : {};
    const kept = fields.comment ?? fields.body;
    const returnTo =
      request.method === 'GET' ? request.url : request.headers.referer ? new URL(request.headers.referer, config.baseUrl).pathname : '/';
    return sendPage(
      reply,
      <VerifyEmailNeededPage
        ctx={pageContext(request, reply, config.siteName)}
        email={email}
        keptText={kept?.trim() ? kept : undefined}
        returnTo={safeReturnPath(returnTo)}
      />,
      403,
    );
  });

  // The link itself proves the address: following it is the confirmation (mail scanners that
  // open links can only confirm what the mailbox received).
  app.get<{ Params: { token: string } }>('/verify-email/:token', async (request, reply) => {
    const outcome = await verifyEmailLink(db, request.params.token);
    return sendPage(
      reply,
      <VerifyEmailResultPage
        ctx={pageContext(request, reply, config.siteName)}
        outcome={outcome.status}
        signedIn={request.viewer !== null}
      />,
      outcome.status === 'verified' ? 200 : outcome.status === 'expired' ? 410 : 404,
    );
  });

  app.post('/verify-email/resend', { config: { rateLimit: { max: 10, timeWindow: '1 hour' } } }, async (request, reply) => {
    const viewer = requireViewer(request);
    const returnTo = safeReturnPath(formValues(request.body).return_to, '/');
    if (await isEmailVerified(db, viewer.id)) {
      setFlash(request, reply, 'Your email address is already confirmed.');
      return reply.redirect(returnTo, 303);
    }
    await requestVerificationMail(db, viewer.id);
    jobs.wake();
    const email = (await findAccountEmail(db, viewer.id)) ?? 'your address';
    setFlash(
      request,
      reply,
      `A confirmation link is on its way to ${email} (one a minute at most). It works for ${VERIFY_HOURS} hours; look in the spam folder too.`,
    );
    return reply.redirect(returnTo, 303);
  });
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../app-deps.ts';
import { formatDate } from '../lib/dates.ts';
import { hashToken } from '../lib/tokens.ts';
import { findActiveSuspension } from '../moderation/moderation.service.ts';
import { suspensionNotice } from '../moderation/moderation.service.ts';
import { HttpError } from '../web/errors.tsx';
import { formValues, toFieldErrors } from '../web/form.ts';
import { pageContext, requireViewer, safeReturnPath } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { cookieOptions, SESSION_COOKIE, setFlash } from '../web/session.ts';
import { deleteAccount, endSessionById, listSessions } from './account-deletion.ts';
import {
  DeleteAccountPage,
  ForgotPasswordPage,
  ResetPasswordPage,
  SessionsPage,
  TwoFactorLoginPage,
  TwoFactorSettingsPage,
} from './account-security.views.tsx';
import * as repo from './accounts.repo.ts';
import { password } from './accounts.schema.ts';
import { SESSION_DAYS, startSession } from './accounts.service.ts';
import { mailerOf } from './mailer.ts';
import { completePasswordReset, findResetUser, requestPasswordReset } from './password-reset.ts';
import { verifyPassword } from './passwords.ts';
import * as twoFactor from './two-factor.ts';

export const PENDING_LOGIN_COOKIE = 'ff_2fa';

const CodeSchema = z.object({
  code: z.string({ error: 'Enter the code.' }).trim().min(1, 'Enter the code.').max(20, 'That is not a code.'),
});
const EmailSchema = z.object({
  email: z
    .string({ error: 'Enter your email.' })
    .trim()
    .min(3, 'Enter your email.')
    .max(254)
    .email('Enter an email address like name@example.org.'),
});
const NewPasswordSchema = z
  .object({ password, password_confirmation: z.string({ error: 'Repeat the new password.' }) })
  .refine((v) => v.password === v.password_confirmation, { message: 'The two passwords do not match.', path: ['password_confirmation'] });
const PasswordSchema = z.object({ password: z.string({ error: 'Enter your password.' }).min(1, 'Enter your password.').max(200) });
const DeleteSchema = PasswordSchema.extend({ works: z.enum(['orphan', 'delete'], { error: 'Choose what happens to your works.' }) });

/**
 * The second half of logging in when the account has two-factor sign-in: called by the login
 * route once the password is right. Sets a short-lived cookie and asks for the code.
 */
export async function beginTwoFactorLogin(
  db: AppDeps['db'],
  request: FastifyRequest,
  reply: FastifyReply,
  userId: number,
  returnTo: string,
) {
  const token = await twoFactor.startPendingLogin(db, userId);
  reply.setCookie(PENDING_LOGIN_COOKIE, token, cookieOptions(request, twoFactor.PENDING_LOGIN_MINUTES * 60));
  return reply.redirect(`/login/two_factor?return_to=${encodeURIComponent(returnTo)}`, 303);
}

type LoginParams = { Params: { login: string } };

export function accountSecurityRoutes(app: FastifyInstance, { db, config }: AppDeps): void {
  const site = config.siteName;
  const mailer = mailerOf(app, config);
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, site);
  const requireSelf = (request: FastifyRequest<LoginParams>) => {
    const viewer = requireViewer(request);
    if (viewer.login.toLowerCase() !== request.params.login.toLowerCase())
      throw new HttpError(403, 'You can only change your own account.');
    return viewer;
  };

  // ---- two-factor login ----------------------------------------------------------------

  app.get('/login/two_factor', async (request, reply) => {
    if (!request.cookies[PENDING_LOGIN_COOKIE]) return reply.redirect('/login', 303);
    return sendPage(reply, <TwoFactorLoginPage ctx={ctx(request, reply)} errors={{}} />);
  });

  app.post<{ Querystring: { return_to?: string } }>(
    '/login/two_factor',
    { config: { rateLimit: { max: 10, timeWindow: '5 minutes' } } },
    async (request, reply) => {
      const pending = request.cookies[PENDING_LOGIN_COOKIE];
      const userId = pending ? await twoFactor.findPendingLogin(db, pending) : undefined;
      if (!pending || userId === undefined) {
        setFlash(request, reply, 'That sign-in took too long. Enter your password again.');
        return reply.redirect('/login', 303);
      }
      const render = (errors: Record<string, string>, status = 422) =>
        sendPage(reply, <TwoFactorLoginPage ctx={ctx(request, reply)} errors={errors} />, status);
      const parsed = CodeSchema.safeParse(request.body ?? {});
      if (!parsed.success) return render(toFieldErrors(parsed.error));
      if (!(await twoFactor.verifySecondFactor(db, userId, parsed.data.code))) {
        return render({
          code: 'That code is not right (or was already used). Enter the current code from your app, or an unused recovery code.',
        });
      }
      const suspension = await findActiveSuspension(db, userId);
      if (suspension) return render({ _form: suspensionNotice(suspension) }, 403);
      await twoFactor.endPendingLogin(db, pending);
      reply.clearCookie(PENDING_LOGIN_COOKIE, { path: '/' });
      const session = await startSession(db, userId);
      reply.setCookie(SESSION_COOKIE, session.token, cookieOptions(request, SESSION_DAYS * 24 * 3600));
      setFlash(request, reply, 'Logged in.');
      return reply.redirect(safeReturnPath(request.query.return_to), 303);
    },
  );

  // ---- two-factor settings -------------------------------------------------------------

  const renderTwoFactor = async (
    request: FastifyRequest<LoginParams>,
    reply: FastifyReply,
    extra: { errors?: Record<string, string>; recoveryCodes?: string[]; status?: number } = {},
  ) => {
    const viewer = requireSelf(request);
    const enabled = await twoFactor.isTwoFactorEnabled(db, viewer.id);
    const setup = enabled ? undefined : await twoFactor.startSetup(db, viewer, site);
    return sendPage(
      reply,
      <TwoFactorSettingsPage
        ctx={ctx(request, reply)}
        login={viewer.login}
        enabled={enabled}
        errors={extra.errors ?? {}}
        {...(setup ? { secret: setup.secret, uri: setup.uri } : {})}
        {...(extra.recoveryCodes ? { recoveryCodes: extra.recoveryCodes } : {})}
        unusedCodes={enabled ? await twoFactor.countUnusedRecoveryCodes(db, viewer.id) : 0}
      />,
      extra.status ?? 200,
    );
  };

  app.get<LoginParams>('/users/:login/two_factor', (request, reply) => renderTwoFactor(request, reply));

  app.post<LoginParams>('/users/:login/two_factor', async (request, reply) => {
    const viewer = requireSelf(request);
    const parsed = CodeSchema.safeParse(request.body ?? {});
    if (!parsed.success) return renderTwoFactor(request, reply, { errors: toFieldErrors(parsed.error), status: 422 });
    const codes = await twoFactor.confirmSetup(db, viewer.id, parsed.data.code);
    if (!codes)
      return renderTwoFactor(request, reply, {
        errors: { code: 'That code is not right. Check the clock of the device with the app, and enter the code it shows now.' },
        status: 422,
      });
    return renderTwoFactor(request, reply, { recoveryCodes: codes });
  });

  const checkPassword = async (userId: number, body: unknown): Promise<Record<string, string> | null> => {
    const parsed = PasswordSchema.safeParse(body ?? {});
    if (!parsed.success) return toFieldErrors(parsed.error);
    const user = await repo.findUserById(db, userId);
    if (!user || !(await verifyPassword(user.password_hash, parsed.data.password))) return { password: 'That is not your password.' };
    return null;
  };

  app.post<LoginParams>('/users/:login/two_factor/recovery_codes', async (request, reply) => {
    const viewer = requireSelf(request);
    const errors = await checkPassword(viewer.id, request.body);
    if (errors) return renderTwoFactor(request, reply, { errors, status: 422 });
    if (!(await twoFactor.isTwoFactorEnabled(db, viewer.id))) throw new HttpError(409, 'Turn on two-factor sign-in first.');
    return renderTwoFactor(request, reply, { recoveryCodes: await twoFactor.replaceRecoveryCodes(db, viewer.id) });
  });

  app.post<LoginParams>('/users/:login/two_factor/disable', async (request, reply) => {
    const viewer = requireSelf(request);
    const errors = await checkPassword(viewer.id, request.body);
    if (errors) return renderTwoFactor(request, reply, { errors, status: 422 });
    await twoFactor.disableTwoFactor(db, viewer.id);
    setFlash(request, reply, 'Two-factor sign-in is off.');
    return reply.redirect(`/users/${encodeURIComponent(viewer.login)}/two_factor`, 303);
  });

  // ---- password reset ------------------------------------------------------------------

  app.get('/password/forgot', async (request, reply) =>
    sendPage(reply, <ForgotPasswordPage ctx={ctx(request, reply)} values={{}} errors={{}} sent={false} />),
  );

  app.post('/password/forgot', { config: { rateLimit: { max: 5, timeWindow: '15 minutes' } } }, async (request, reply) => {
    const values = formValues(request.body);
    const parsed = EmailSchema.safeParse(request.body ?? {});
    if (!parsed.success)
      return sendPage(
        reply,
        <ForgotPasswordPage ctx={ctx(request, reply)} values={values} errors={toFieldErrors(parsed.error)} sent={false} />,
        422,
      );
    await requestPasswordReset(db, mailer, { email: parsed.data.email, baseUrl: config.baseUrl, siteName: site });
    return sendPage(reply, <ForgotPasswordPage ctx={ctx(request, reply)} values={{}} errors={{}} sent={true} />);
  });

  const RESET_GONE = 'This reset link has expired or was already used. Ask for a new one on the “Forgot your password?” page.';

  app.get<{ Params: { token: string } }>('/password/reset/:token', async (request, reply) => {
    if ((await findResetUser(db, request.params.token)) === undefined) throw new HttpError(404, RESET_GONE);
    // The token is in the path: keep it out of Referer headers of anything this page links to.
    reply.header('referrer-policy', 'no-referrer');
    return sendPage(reply, <ResetPasswordPage ctx={ctx(request, reply)} token={request.params.token} errors={{}} />);
  });

  app.post<{ Params: { token: string } }>(
    '/password/reset/:token',
    { config: { rateLimit: { max: 10, timeWindow: '15 minutes' } } },
    async (request, reply) => {
      const parsed = NewPasswordSchema.safeParse(request.body ?? {});
      if (!parsed.success) {
        return sendPage(
          reply,
          <ResetPasswordPage ctx={ctx(request, reply)} token={request.params.token} errors={toFieldErrors(parsed.error)} />,
          422,
        );
      }
      if (!(await completePasswordReset(db, request.params.token, parsed.data.password))) throw new HttpError(404, RESET_GONE);
      setFlash(request, reply, 'Your password has been changed. Log in with the new one.');
      return reply.redirect('/login', 303);
    },
  );

  // ---- sessions ------------------------------------------------------------------------

  app.get<LoginParams>('/users/:login/sessions', async (request, reply) => {
    const viewer = requireSelf(request);
    const current = request.cookies[SESSION_COOKIE] ? hashToken(request.cookies[SESSION_COOKIE]) : '';
    const sessions = (await listSessions(db, viewer.id)).map((s) => ({
      id: s.id,
      started: formatDate(s.createdAt),
      expires: formatDate(s.expiresAt),
      current: s.tokenHash === current,
    }));
    return sendPage(reply, <SessionsPage ctx={ctx(request, reply)} login={viewer.login} sessions={sessions} />);
  });

  app.post<{ Params: { login: string; id: string } }>('/users/:login/sessions/:id/end', async (request, reply) => {
    const viewer = requireSelf(request);
    if (!(await endSessionById(db, viewer.id, request.params.id))) throw new HttpError(404, 'No such session: it may have ended already.');
    setFlash(request, reply, 'That session has been logged out.');
    return reply.redirect(`/users/${encodeURIComponent(viewer.login)}/sessions`, 303);
  });

  app.post<LoginParams>('/users/:login/sessions/end_others', async (request, reply) => {
    const viewer = requireSelf(request);
    const token = request.cookies[SESSION_COOKIE];
    await repo.deleteOtherSessions(db, viewer.id, token ? hashToken(token) : '');
    setFlash(request, reply, 'You have been logged out everywhere else.');
    return reply.redirect(`/users/${encodeURIComponent(viewer.login)}/sessions`, 303);
  });

  // ---- account deletion ----------------------------------------------------------------

  const countWorks = async (userId: number) => {
    const row = await db
      .selectFrom('work_creators')
      .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
      .select((eb) => eb.fn.count<string>('work_creators.work_id').distinct().as('n'))
      .where('pseuds.user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };

  app.get<LoginParams>('/users/:login/delete', async (request, reply) => {
    const viewer = requireSelf(request);
    return sendPage(
      reply,
      <DeleteAccountPage ctx={ctx(request, reply)} login={viewer.login} workCount={await countWorks(viewer.id)} errors={{}} />,
    );
  });

  app.post<LoginParams>('/users/:login/delete', async (request, reply) => {
    const viewer = requireSelf(request);
    const render = async (errors: Record<string, string>) =>
      sendPage(
        reply,
        <DeleteAccountPage ctx={ctx(request, reply)} login={viewer.login} workCount={await countWorks(viewer.id)} errors={errors} />,
        422,
      );
    const parsed = DeleteSchema.safeParse(request.body ?? {});
    if (!parsed.success) return render(toFieldErrors(parsed.error));
    const errors = await checkPassword(viewer.id, request.body);
    if (errors) return render(errors);
    const result = await deleteAccount(db, viewer, parsed.data.works);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    setFlash(
      request,
      reply,
      parsed.data.works === 'orphan'
        ? `Your account has been deleted. ${result.orphaned} works were orphaned.`
        : `Your account has been deleted, with ${result.deleted} works.`,
    );
    return reply.redirect('/', 303);
  });
}

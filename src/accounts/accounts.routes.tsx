import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { formatDate } from '../lib/dates.ts';
import { HttpError } from '../web/errors.tsx';
import { formValues, parseId, toFieldErrors } from '../web/form.ts';
import { pageContext, requireViewer, safeReturnPath } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { cookieOptions, SESSION_COOKIE, setFlash } from '../web/session.ts';
import * as repo from './accounts.repo.ts';
import { ChangePasswordSchema, LogInSchema, PseudSchema, SignUpSchema } from './accounts.schema.ts';
import {
  AccountConflictError,
  addPseud,
  authenticate,
  changePassword,
  createAccount,
  endSession,
  issueApiToken,
  SESSION_DAYS,
  startSession,
} from './accounts.service.ts';
import { ApiTokensPage, ChangePasswordPage, LogInPage, ProfilePage, SignUpPage } from './accounts.views.tsx';
import { z } from 'zod';
import { findActiveSuspension } from '../moderation/moderation.service.ts';
import { suspensionNotice } from '../moderation/moderation.service.ts';
import { beginTwoFactorLogin } from './account-security.routes.tsx';
import { isTwoFactorEnabled } from './two-factor.ts';
import { admitSignup, signupNeedsInvitation } from '../admin/signup-gate.ts';
import { isVerificationRequired, requestVerificationMail } from './email-verification.ts';

const TokenNameSchema = z.object({
  name: z.string({ error: 'Give the token a name.' }).trim().min(1, 'Give the token a name.').max(100, 'Names are at most 100 characters.'),
});

export function accountsRoutes(app: FastifyInstance, { db, config }: AppDeps): void {
  const site = config.siteName;

  app.get<{ Querystring: { invitation?: string } }>('/signup', async (request, reply) => {
    const invitation = signupNeedsInvitation(app);
    const code = typeof request.query.invitation === 'string' ? request.query.invitation.slice(0, 100) : '';
    return sendPage(
      reply,
      <SignUpPage
        ctx={pageContext(request, reply, site)}
        values={invitation ? { invitation: code } : {}}
        errors={{}}
        invitation={invitation}
      />,
    );
  });

  app.post('/signup', { config: { rateLimit: { max: 20, timeWindow: '1 hour' } } }, async (request, reply) => {
    const values = formValues(request.body);
    delete values.password;
    delete values.password_confirmation;
    const invitation = signupNeedsInvitation(app);
    const parsed = SignUpSchema.safeParse(request.body ?? {});
    if (!parsed.success) {
      return sendPage(
        reply,
        <SignUpPage ctx={pageContext(request, reply, site)} values={values} errors={toFieldErrors(parsed.error)} invitation={invitation} />,
        422,
      );
    }
    const admitted = await admitSignup(app, db, request.body);
    if (!admitted.ok)
      return sendPage(
        reply,
        <SignUpPage ctx={pageContext(request, reply, site)} values={values} errors={admitted.errors} invitation={invitation} />,
        422,
      );
    try {
      const viewer = await createAccount(db, parsed.data).catch(async (error) => {
        await admitted.refused();
        throw error;
      });
      await admitted.accepted(viewer.id);
      const session = await startSession(db, viewer.id);
      reply.setCookie(SESSION_COOKIE, session.token, cookieOptions(request, SESSION_DAYS * 24 * 3600));
      // Email verification (src/accounts/email-verification.ts): the account can read at once, post once confirmed.
      const verify = isVerificationRequired(app.siteSettings, config);
      if (verify) await requestVerificationMail(db, viewer.id);
      setFlash(
        request,
        reply,
        verify
          ? `Welcome, ${viewer.login}! We sent a link to ${parsed.data.email}: open it to confirm your address, then you can post works and comments.`
          : `Welcome, ${viewer.login}! Your account is ready.`,
      );
      return reply.redirect('/', 303);
    } catch (error) {
      if (error instanceof AccountConflictError) {
        return sendPage(
          reply,
          <SignUpPage ctx={pageContext(request, reply, site)} values={values} errors={error.fieldErrors} invitation={invitation} />,
          422,
        );
      }
      throw error;
    }
  });

  app.get('/login', async (request, reply) => {
    const returnTo = safeReturnPath((request.query as Record<string, unknown>).return_to);
    return sendPage(reply, <LogInPage ctx={pageContext(request, reply, site)} values={{}} errors={{}} returnTo={returnTo} />);
  });

  // Login attempts are limited per address: argon2 is slow on purpose, and guessing should be too.
  app.post('/login', { config: { rateLimit: { max: 10, timeWindow: '5 minutes' } } }, async (request, reply) => {
    const values = formValues(request.body);
    delete values.password;
    const returnTo = safeReturnPath(values.return_to);
    const parsed = LogInSchema.safeParse(request.body ?? {});
    const render = (errors: Record<string, string>) =>
      sendPage(reply, <LogInPage ctx={pageContext(request, reply, site)} values={values} errors={errors} returnTo={returnTo} />, 422);
    if (!parsed.success) return render(toFieldErrors(parsed.error));
    const viewer = await authenticate(db, parsed.data.login, parsed.data.password);
    if (!viewer) return render({ _form: 'That user name or email and password do not match. Check them and try again.' });
    const suspension = await findActiveSuspension(db, viewer.id);
    if (suspension)
      return sendPage(
        reply,
        <LogInPage
          ctx={pageContext(request, reply, site)}
          values={values}
          errors={{ _form: suspensionNotice(suspension) }}
          returnTo={returnTo}
        />,
        403,
      );
    if (await isTwoFactorEnabled(db, viewer.id)) return beginTwoFactorLogin(db, request, reply, viewer.id, returnTo);
    const session = await startSession(db, viewer.id);
    reply.setCookie(SESSION_COOKIE, session.token, cookieOptions(request, SESSION_DAYS * 24 * 3600));
    setFlash(request, reply, `Logged in as ${viewer.login}.`);
    return reply.redirect(returnTo, 303);
  });

  app.post('/logout', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await endSession(db, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    setFlash(request, reply, 'You have logged out.');
    return reply.redirect('/', 303);
  });

  const findProfileUser = async (login: string) => {
    const user = await repo.findUserByLogin(db, login);
    if (!user) throw new HttpError(404, `There is no user called ${login}.`);
    return user;
  };

  const renderProfile = async (
    request: LoginRequest,
    reply: FastifyReply,
    form: { values?: Record<string, string>; errors?: Record<string, string>; status?: number } = {},
  ) => {
    const user = await findProfileUser(request.params.login);
    const pseuds = await repo.findPseudsOfUser(db, user.id);
    const profile = {
      login: user.login,
      joined: formatDate(user.created_at),
      pseuds: pseuds.map((p) => ({ name: p.name, isDefault: p.is_default })),
      isSelf: request.viewer?.id === user.id,
    };
    return sendPage(
      reply,
      <ProfilePage ctx={pageContext(request, reply, site)} profile={profile} values={form.values ?? {}} errors={form.errors ?? {}} />,
      form.status ?? 200,
    );
  };

  app.get<{ Params: { login: string } }>('/users/:login', (request, reply) => renderProfile(request, reply));

  /** Only the account's owner may use its settings pages. */
  const requireSelf = (request: LoginRequest) => {
    const viewer = requireViewer(request);
    if (viewer.login.toLowerCase() !== request.params.login.toLowerCase()) {
      throw new HttpError(403, 'You can only change your own account.');
    }
    return viewer;
  };

  app.post<{ Params: { login: string } }>('/users/:login/pseuds', async (request, reply) => {
    const viewer = requireSelf(request);
    const parsed = PseudSchema.safeParse(request.body ?? {});
    if (!parsed.success)
      return renderProfile(request, reply, { values: formValues(request.body), errors: toFieldErrors(parsed.error), status: 422 });
    const added = await addPseud(db, viewer.id, parsed.data.name);
    if (!added.ok) return renderProfile(request, reply, { values: formValues(request.body), errors: added.errors, status: 422 });
    setFlash(request, reply, `Pseud ${parsed.data.name} added. Choose it when you post a work.`);
    return reply.redirect(`/users/${encodeURIComponent(viewer.login)}`, 303);
  });

  app.get<{ Params: { login: string } }>('/users/:login/password', async (request, reply) => {
    const viewer = requireSelf(request);
    return sendPage(reply, <ChangePasswordPage ctx={pageContext(request, reply, site)} login={viewer.login} values={{}} errors={{}} />);
  });

  app.post<{ Params: { login: string } }>('/users/:login/password', async (request, reply) => {
    const viewer = requireSelf(request);
    const render = (errors: Record<string, string>) =>
      sendPage(reply, <ChangePasswordPage ctx={pageContext(request, reply, site)} login={viewer.login} values={{}} errors={errors} />, 422);
    const parsed = ChangePasswordSchema.safeParse(request.body ?? {});
    if (!parsed.success) return render(toFieldErrors(parsed.error));
    const result = await changePassword(db, {
      userId: viewer.id,
      currentPassword: parsed.data.current_password,
      newPassword: parsed.data.password,
      keepSessionToken: request.cookies[SESSION_COOKIE],
    });
    if (!result.ok) return render(result.errors);
    setFlash(request, reply, 'Your password has been changed. Your other sessions have been logged out.');
    return reply.redirect(`/users/${encodeURIComponent(viewer.login)}`, 303);
  });

  const renderTokens = async (
    request: LoginRequest,
    reply: FastifyReply,
    extra: { values?: Record<string, string>; errors?: Record<string, string>; newToken?: string; status?: number },
  ) => {
    const viewer = requireSelf(request);
    const tokens = (await repo.findApiTokensOfUser(db, viewer.id)).map((t) => ({
      id: t.id,
      name: t.name,
      created: formatDate(t.created_at),
      lastUsed: t.last_used_at ? formatDate(t.last_used_at) : null,
      revoked: t.revoked_at !== null,
    }));
    return sendPage(
      reply,
      <ApiTokensPage
        ctx={pageContext(request, reply, site)}
        login={viewer.login}
        tokens={tokens}
        values={extra.values ?? {}}
        errors={extra.errors ?? {}}
        {...(extra.newToken ? { newToken: extra.newToken } : {})}
      />,
      extra.status ?? 200,
    );
  };

  app.get<{ Params: { login: string } }>('/users/:login/api_tokens', (request, reply) => renderTokens(request, reply, {}));

  app.post<{ Params: { login: string } }>('/users/:login/api_tokens', async (request, reply) => {
    const viewer = requireSelf(request);
    const parsed = TokenNameSchema.safeParse(request.body ?? {});
    if (!parsed.success) {
      return renderTokens(request, reply, { values: formValues(request.body), errors: toFieldErrors(parsed.error), status: 422 });
    }
    const issued = await issueApiToken(db, viewer.id, parsed.data.name);
    return renderTokens(request, reply, { newToken: issued.token });
  });

  app.post<{ Params: { login: string; id: string } }>('/users/:login/api_tokens/:id/revoke', async (request, reply) => {
    const viewer = requireSelf(request);
    const id = parseId(request.params.id);
    if (id === null || !(await repo.revokeApiToken(db, viewer.id, id)))
      throw new HttpError(404, 'No such token, or it was already revoked.');
    setFlash(request, reply, 'The token has been revoked.');
    return reply.redirect(`/users/${encodeURIComponent(viewer.login)}/api_tokens`, 303);
  });
}

type LoginRequest = FastifyRequest<{ Params: { login: string } }>;

// OAuth 2.0 for third-party apps: the consent page, the apps page (allowed apps, revocable; one's
// registered apps), and the token and revocation endpoints apps call. The protocol itself runs in
// oauth.service.ts through @node-oauth/oauth2-server.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../app-deps.ts';
import { formatDate } from '../lib/dates.ts';
import { HttpError } from '../web/errors.tsx';
import { formValues, parseId, type FieldErrors } from '../web/form.ts';
import { pageContext, requireViewer } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { setFlash } from '../web/session.ts';
import { findUserById } from '../accounts/accounts.service.ts';
import * as service from './oauth.service.ts';
import { AppsPage, ConsentPage } from './oauth.views.tsx';

/** Where apps exchange codes and refresh tokens (outside /api/v1: form-encoded bodies, RFC 6749). */
export const TOKEN_PATH = '/api/oauth/token';
export const REVOKE_PATH = '/api/oauth/revoke';

const AUTHORIZE_PARAMS = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method'];

function pick(source: unknown): Record<string, string> {
  const record = (source ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const name of AUTHORIZE_PARAMS) if (typeof record[name] === 'string') out[name] = record[name] as string;
  return out;
}

function toHttp(error: unknown): never {
  if (error instanceof service.OAuthRequestError) throw new HttpError(error.status, error.message);
  throw error;
}

export function oauthRoutes(app: FastifyInstance, { db, config }: RouteDeps): void {
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, config.siteName);

  const appsPage = async (request: FastifyRequest, reply: FastifyReply, values: Record<string, string> = {}, errors: FieldErrors = {}) => {
    const viewer = requireViewer(request);
    const [authorized, owned] = await Promise.all([service.findAuthorizedApps(db, viewer.id), service.findAppsOwnedBy(db, viewer.id)]);
    return sendPage(
      reply,
      <AppsPage
        ctx={ctx(request, reply)}
        view={{
          authorized: authorized.map((a) => ({ ...a, since: formatDate(a.since) })),
          owned: owned.map((a) => ({ id: a.id, name: a.name, clientId: a.client_id, redirectUri: a.redirect_uri })),
          values,
          errors,
        }}
      />,
      Object.keys(errors).length > 0 ? 422 : 200,
    );
  };

  app.get('/oauth/apps', (request, reply) => appsPage(request, reply));

  app.post('/oauth/apps', async (request, reply) => {
    const viewer = requireViewer(request);
    const values = formValues(request.body);
    try {
      const registered = await service.registerApp(db, viewer, { name: values.name ?? '', redirectUri: values.redirect_uri ?? '' });
      setFlash(request, reply, `Registered. Your app's client_id is ${registered.client_id}.`);
    } catch (error) {
      if (error instanceof service.OAuthRequestError) return appsPage(request, reply, values, { [error.field]: error.message });
      throw error;
    }
    return reply.redirect('/oauth/apps', 303);
  });

  app.post<{ Params: { id: string } }>('/oauth/apps/:id/delete', async (request, reply) => {
    const viewer = requireViewer(request);
    const id = parseId(request.params.id);
    if (id === null) throw new HttpError(404, 'You have no such app.');
    await service.deleteApp(db, viewer, id).catch(toHttp);
    setFlash(request, reply, 'The app was deleted; every token it held has ended.');
    return reply.redirect('/oauth/apps', 303);
  });

  app.post<{ Params: { appId: string } }>('/oauth/authorized/:appId/revoke', async (request, reply) => {
    const viewer = requireViewer(request);
    const id = parseId(request.params.appId);
    if (id === null) throw new HttpError(404, 'You have not allowed such an app.');
    await service.revokeApp(db, viewer, id);
    setFlash(request, reply, 'Revoked: the app can no longer use your account.');
    return reply.redirect('/oauth/apps', 303);
  });

  // The consent page. A request that names an unknown app or a redirect address it did not
  // register is answered here, never sent back to an address nobody vouched for.
  app.get('/oauth/authorize', async (request, reply) => {
    const params = pick(request.query);
    const checked = await service.checkAuthorizationRequest(db, params).catch(toHttp);
    requireViewer(request);
    const owner = await findUserById(db, checked.app.ownerUserId);
    const redirect = new URL(checked.app.redirectUri);
    // The answer is a redirect to the app after this form: the page's CSP must let the form go there.
    const csp = reply.getHeader('content-security-policy');
    if (typeof csp === 'string')
      reply.header('content-security-policy', csp.replace("form-action 'self'", `form-action 'self' ${redirect.origin}`));
    return sendPage(
      reply,
      <ConsentPage
        ctx={ctx(request, reply)}
        view={{
          appName: checked.app.name,
          ownerLogin: owner?.login ?? 'a deleted account',
          redirectHost: redirect.host,
          scopes: checked.scopes,
          params: { ...params, redirect_uri: checked.app.redirectUri, scope: checked.scopes.join(' ') },
        }}
      />,
    );
  });

  app.post('/oauth/authorize', async (request, reply) => {
    const viewer = requireViewer(request);
    const values = formValues(request.body);
    if (values.decision !== 'allow' && values.decision !== 'deny') throw new HttpError(422, 'Use the Allow or Deny button.');
    const location = await service.answerConsent(db, viewer, pick(request.body), values.decision === 'allow').catch(toHttp);
    return reply.redirect(location, 303);
  });

  // The endpoints apps call: form-encoded bodies, RFC 6749 JSON answers, never cached.
  app.post(TOKEN_PATH, { config: { rateLimit: { max: 60, timeWindow: '1 minute' } } }, async (request, reply) => {
    const answer = await service.exchangeToken(db, {
      headers: Object.fromEntries(Object.entries(request.headers).filter((e): e is [string, string] => typeof e[1] === 'string')),
      body: (request.body ?? {}) as Record<string, unknown>,
    });
    if (answer.status === 401) reply.header('www-authenticate', 'Basic realm="oauth"');
    return reply
      .status(answer.status)
      .header('cache-control', 'no-store')
      .header('pragma', 'no-cache')
      .type('application/json; charset=utf-8')
      .send(answer.body);
  });

  app.post(REVOKE_PATH, { config: { rateLimit: { max: 60, timeWindow: '1 minute' } } }, async (request, reply) => {
    const body = formValues(request.body);
    if (!body.token || !body.client_id)
      return reply
        .status(400)
        .type('application/json; charset=utf-8')
        .send({ error: 'invalid_request', error_description: 'Send token and client_id, form-encoded.' });
    if (!(await service.revokeToken(db, { clientId: body.client_id, token: body.token })))
      return reply
        .status(401)
        .type('application/json; charset=utf-8')
        .send({ error: 'invalid_client', error_description: 'Unknown client_id.' });
    return reply.status(200).header('cache-control', 'no-store').send();
  });
}

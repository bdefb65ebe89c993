// OAuth 2.0 authorization code with PKCE (S256) for third-party apps, through
// @node-oauth/oauth2-server: the library runs the protocol (parameters, PKCE check, code and
// refresh-token rotation, error codes), this file is its storage model and the rules the library
// leaves to us: apps are public clients that must use S256 PKCE, scopes come from api-scopes.ts,
// every code and token is stored as its SHA-256 hash (docs/decisions/030).
import OAuth2Server, {
  type AuthorizationCode,
  type Client,
  type Falsey,
  OAuthError,
  type RefreshToken,
  Request,
  Response,
  type Token,
  type User,
} from '@node-oauth/oauth2-server';
import type { Kysely } from 'kysely';
import { findActiveViewerByUserId } from '../accounts/accounts.service.ts';
import { isScope, parseScopes, type Scope } from '../api/api-scopes.ts';
import type { Database } from '../db/schema.ts';
import { hashToken, newToken } from '../lib/tokens.ts';
import type { Viewer } from '../web/viewer.ts';
import * as repo from './oauth.repo.ts';

type Db = Kysely<Database>;

export const ACCESS_TOKEN_SECONDS = 3600;
export const REFRESH_TOKEN_SECONDS = 30 * 24 * 3600;
export const CODE_SECONDS = 300;

/** A refusal a person can act on (a 4xx page for the consent and app forms). */
export class OAuthRequestError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 422,
    message: string,
    readonly field = '_form',
  ) {
    super(message);
  }
}

/** The viewer and allowed scopes behind a live app access token, or undefined. */
export async function findOAuthViewer(db: Db, accessTokenHash: string): Promise<{ viewer: Viewer; scopes: Scope[] } | undefined> {
  const token = await repo.findLiveAccessToken(db, accessTokenHash);
  if (!token) return undefined;
  const viewer = await findActiveViewerByUserId(db, token.user_id);
  return viewer ? { viewer, scopes: token.scopes.filter(isScope) } : undefined;
}

// ---- app registration -------------------------------------------------------------------

/** A redirect address an app may register: https anywhere, http only for this machine (a native app's loopback). */
export function checkRedirectUri(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new OAuthRequestError(422, 'Enter the full address codes are sent back to, like https://app.example/callback.', 'redirect_uri');
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    throw new OAuthRequestError(422, 'The redirect address must use https (http only for 127.0.0.1 or localhost).', 'redirect_uri');
  if (url.hash !== '') throw new OAuthRequestError(422, 'The redirect address cannot contain a # fragment.', 'redirect_uri');
  if (url.href.length > 500) throw new OAuthRequestError(422, 'The redirect address is at most 500 characters.', 'redirect_uri');
  return url.href;
}

export async function registerApp(db: Db, viewer: Viewer, input: { name: string; redirectUri: string }) {
  const name = input.name.trim();
  if (name === '' || name.length > 100) throw new OAuthRequestError(422, 'Name the app in 1 to 100 characters.', 'name');
  const redirectUri = checkRedirectUri(input.redirectUri);
  if ((await repo.findAppsOwnedBy(db, viewer.id)).length >= 20)
    throw new OAuthRequestError(422, 'You can register at most 20 apps. Delete one you no longer use first.');
  return repo.insertApp(db, { clientId: `ffc_${newToken().slice(0, 32)}`, ownerUserId: viewer.id, name, redirectUri });
}

export const findAppsOwnedBy = repo.findAppsOwnedBy;
export const findAuthorizedApps = repo.findAuthorizedApps;

export async function deleteApp(db: Db, viewer: Viewer, appId: number): Promise<void> {
  if (!(await repo.deleteOwnedApp(db, viewer.id, appId))) throw new OAuthRequestError(404, 'You have no such app.');
}

/** Ends every token the viewer gave the app; the app must ask again. */
export async function revokeApp(db: Db, viewer: Viewer, appId: number): Promise<void> {
  await db.transaction().execute((trx) => repo.revokeAppForUser(trx, viewer.id, appId));
}

// ---- the authorization request ---------------------------------------------------------

export interface AuthorizationRequest {
  app: { id: number; name: string; clientId: string; redirectUri: string; ownerUserId: number };
  scopes: Scope[];
  state: string;
  codeChallenge: string;
}

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

/**
 * Checks an authorization request before anything is shown or sent back: an unknown app or a
 * redirect address it did not register is never redirected to (a page says so); PKCE with S256
 * is required (plain and no PKCE are refused: a public client has nothing else to prove itself).
 */
export async function checkAuthorizationRequest(db: Db, params: Record<string, unknown>): Promise<AuthorizationRequest> {
  const clientId = text(params.client_id);
  const app = clientId ? await repo.findAppByClientId(db, clientId) : undefined;
  if (!app) throw new OAuthRequestError(400, 'This app is not registered here (unknown client_id). Ask its developer to register it.');
  const redirectUri = text(params.redirect_uri);
  if (redirectUri !== undefined && redirectUri !== app.redirect_uri)
    throw new OAuthRequestError(400, 'The redirect_uri is not the address this app registered. Ask its developer to fix it.');
  if (text(params.response_type) !== 'code') throw new OAuthRequestError(400, 'Only response_type=code is supported.');
  const challenge = text(params.code_challenge);
  if (!challenge || !/^[A-Za-z0-9_-]{43}$/.test(challenge))
    throw new OAuthRequestError(400, 'This app must use PKCE: send code_challenge (the base64url SHA-256 of a code_verifier).');
  if (text(params.code_challenge_method) !== 'S256')
    throw new OAuthRequestError(400, 'Send code_challenge_method=S256; plain PKCE is refused.');
  const scopes = parseScopes(text(params.scope) ?? 'read');
  if (!scopes || scopes.length === 0)
    throw new OAuthRequestError(
      400,
      'The scope names one this archive does not have. Use read, write:works, write:interactions or write:account.',
    );
  const state = text(params.state) ?? '';
  if (state === '' || state.length > 500 || !/^[\x20-\x7e]+$/.test(state))
    throw new OAuthRequestError(400, 'Send a state parameter (1 to 500 printable characters) to protect the app against forged answers.');
  // Reading one's own things is what every app does first; it is always part of a grant.
  const withRead: Scope[] = scopes.includes('read') ? scopes : ['read', ...scopes];
  return {
    app: { id: app.id, name: app.name, clientId: app.client_id, redirectUri: app.redirect_uri, ownerUserId: app.owner_user_id },
    scopes: withRead,
    state,
    codeChallenge: challenge,
  };
}

// ---- the library's storage model ---------------------------------------------------------

function toClient(app: { id: number; client_id: string; redirect_uri: string }): Client {
  return { id: String(app.id), clientId: app.client_id, redirectUris: [app.redirect_uri], grants: ['authorization_code', 'refresh_token'] };
}

function oauthModel(db: Db) {
  return {
    async getClient(clientId: string): Promise<Client | Falsey> {
      const app = await repo.findAppByClientId(db, clientId);
      return app ? toClient(app) : false;
    },
    async validateScope(_user: User, _client: Client, scope?: string[]): Promise<string[] | Falsey> {
      const scopes = scope ?? ['read'];
      return scopes.length > 0 && scopes.every(isScope) ? scopes : false;
    },
    async generateAuthorizationCode(): Promise<string> {
      return newToken();
    },
    async generateAccessToken(): Promise<string> {
      return `ffa_${newToken()}`;
    },
    async generateRefreshToken(): Promise<string> {
      return `ffr_${newToken()}`;
    },
    async saveAuthorizationCode(
      code: Pick<AuthorizationCode, 'authorizationCode' | 'expiresAt' | 'redirectUri' | 'scope' | 'codeChallenge' | 'codeChallengeMethod'>,
      client: Client,
      user: User,
    ): Promise<AuthorizationCode> {
      if (!code.codeChallenge || code.codeChallengeMethod !== 'S256')
        throw new OAuthError('PKCE with S256 is required', { code: 400, name: 'invalid_request' });
      await repo.insertCode(db, {
        codeHash: hashToken(code.authorizationCode),
        appId: Number(client.id),
        userId: Number(user.id),
        redirectUri: code.redirectUri,
        scopes: code.scope ?? ['read'],
        codeChallenge: code.codeChallenge,
        expiresAt: code.expiresAt,
      });
      return { ...code, client, user };
    },
    async getAuthorizationCode(authorizationCode: string): Promise<AuthorizationCode | Falsey> {
      const row = await repo.findCode(db, hashToken(authorizationCode));
      if (!row) return false;
      return {
        authorizationCode,
        expiresAt: new Date(row.expires_at),
        redirectUri: row.redirect_uri,
        scope: row.scopes,
        codeChallenge: row.code_challenge,
        codeChallengeMethod: 'S256',
        client: { id: String(row.app_id), grants: ['authorization_code', 'refresh_token'] },
        user: { id: row.user_id },
      };
    },
    async revokeAuthorizationCode(code: AuthorizationCode): Promise<boolean> {
      return repo.deleteCode(db, hashToken(code.authorizationCode));
    },
    async saveToken(token: Token, client: Client, user: User): Promise<Token> {
      await repo.insertToken(db, {
        accessTokenHash: hashToken(token.accessToken),
        accessExpiresAt: token.accessTokenExpiresAt!,
        refreshTokenHash: hashToken(token.refreshToken!),
        refreshExpiresAt: token.refreshTokenExpiresAt!,
        appId: Number(client.id),
        userId: Number(user.id),
        scopes: token.scope ?? ['read'],
      });
      return { ...token, client, user };
    },
    async getAccessToken(): Promise<Token | Falsey> {
      // The API resolves access tokens itself (api.auth.ts, findOAuthViewer); the library never authenticates here.
      return false;
    },
    async getRefreshToken(refreshToken: string): Promise<RefreshToken | Falsey> {
      const row = await repo.findRefreshToken(db, hashToken(refreshToken));
      if (!row) return false;
      return {
        refreshToken,
        refreshTokenExpiresAt: new Date(row.refresh_expires_at),
        scope: row.scopes,
        client: { id: String(row.app_id), grants: ['authorization_code', 'refresh_token'] },
        user: { id: row.user_id },
      };
    },
    async revokeToken(token: RefreshToken | Token): Promise<boolean> {
      // Rotation: a refresh token is spent by its use; a second use finds it revoked and is refused.
      return repo.revokeTokenByRefreshHash(db, hashToken(token.refreshToken!));
    },
  };
}

function server(db: Db): OAuth2Server {
  return new OAuth2Server({
    model: oauthModel(db),
    accessTokenLifetime: ACCESS_TOKEN_SECONDS,
    refreshTokenLifetime: REFRESH_TOKEN_SECONDS,
    authorizationCodeLifetime: CODE_SECONDS,
    // Public clients: no secret; PKCE proves the code's holder, the refresh token its own.
    requireClientAuthentication: { authorization_code: false, refresh_token: false },
    alwaysIssueNewRefreshToken: true,
  });
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

function answerOf(response: Response): HttpAnswer {
  return { status: response.status ?? 200, headers: (response.headers ?? {}) as Record<string, string>, body: response.body };
}

/** RFC 6749's error body, from a library error (or a 500 for anything else, which the caller logs). */
function errorAnswer(error: unknown): HttpAnswer {
  if (error instanceof OAuthError)
    return {
      status: error.code,
      headers: {},
      body: { error: error.name, error_description: error.message },
    };
  throw error;
}

/**
 * The person's answer on the consent page: allowed (a code is made and the app is sent it) or
 * denied (the app is told access_denied). Either way the answer is a redirect to the app.
 */
export async function answerConsent(db: Db, viewer: Viewer, params: Record<string, string>, allowed: boolean): Promise<string> {
  const checked = await checkAuthorizationRequest(db, params);
  const request = new Request({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    query: {},
    body: {
      response_type: 'code',
      client_id: checked.app.clientId,
      redirect_uri: checked.app.redirectUri,
      scope: checked.scopes.join(' '),
      state: checked.state,
      code_challenge: checked.codeChallenge,
      code_challenge_method: 'S256',
      allowed: allowed ? 'true' : 'false',
    },
  });
  const response = new Response({ headers: {} });
  try {
    await server(db).authorize(request, response, { authenticateHandler: { handle: () => ({ id: viewer.id }) } });
  } catch (error) {
    // access_denied and the like: the library has already pointed the response back at the app.
    if (!(error instanceof OAuthError)) throw error;
  }
  const location = response.headers?.location;
  if (!location) throw new Error('the authorization server gave no redirect');
  return location;
}

/** The token endpoint: a code (with its PKCE verifier) or a refresh token for a new token pair. */
export async function exchangeToken(
  db: Db,
  input: { headers: Record<string, string>; body: Record<string, unknown> },
): Promise<HttpAnswer> {
  const request = new Request({ method: 'POST', headers: input.headers, query: {}, body: input.body });
  const response = new Response({ headers: {} });
  try {
    await db.transaction().execute(async (trx) => {
      await server(trx as unknown as Db).token(request, response);
    });
  } catch (error) {
    return errorAnswer(error);
  }
  return answerOf(response);
}

/** RFC 7009 revocation: the named token's pair ends when it belongs to the app; the answer never says whether it did. */
export async function revokeToken(db: Db, input: { clientId: string; token: string }): Promise<boolean> {
  const app = await repo.findAppByClientId(db, input.clientId);
  if (!app) return false;
  await repo.revokeTokenOfApp(db, app.id, hashToken(input.token));
  return true;
}

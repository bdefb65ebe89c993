import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { CREATE_WORK_EXAMPLE } from '../api/openapi.ts';
import { hashToken } from '../lib/tokens.ts';

// The whole flow a third-party app goes through: a developer registers it, a reader allows it on
// the consent page (PKCE S256), the app exchanges the code, calls the API within its scopes and is
// refused outside them, refreshes (the old refresh token is spent), and the reader revokes it.

const REDIRECT = 'https://reader.example/callback';

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

describe('OAuth 2.0 authorization code with PKCE', () => {
  let t: TestApp;
  let developer: TestVisitor;
  let reader: TestVisitor;
  let clientId: string;

  const authorizeUrl = (params: Record<string, string>) => `/oauth/authorize?${new URLSearchParams(params).toString()}`;
  const tokenRequest = (form: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: '/api/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(form).toString(),
    });
  const api = (method: 'GET' | 'POST', url: string, token: string, body?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    });

  /** Runs the consent step as the reader and returns the code the app receives. */
  async function consent(scope: string, challenge: string, state = 'xyz-state') {
    const params = {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT,
      scope,
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    };
    const page = await reader.get(authorizeUrl(params));
    assert.equal(page.statusCode, 200, page.body.slice(0, 300));
    assert.match(page.body, /Allow Shelf Reader to use your account\?/);
    assert.match(String(page.headers['content-security-policy']), /form-action 'self' https:\/\/reader\.example/);
    const answer = await reader.post('/oauth/authorize', { ...params, decision: 'allow' });
    assert.equal(answer.statusCode, 303);
    const location = new URL(String(answer.headers.location));
    assert.equal(`${location.origin}${location.pathname}`, REDIRECT);
    assert.equal(location.searchParams.get('state'), state);
    return location.searchParams.get('code')!;
  }

  before(async () => {
    t = await createTestApp();
    developer = await new TestVisitor(t.app).signUp('app_developer');
    reader = await new TestVisitor(t.app).signUp('app_reader');
    const registered = await developer.post('/oauth/apps', { name: 'Shelf Reader', redirect_uri: REDIRECT });
    assert.equal(registered.statusCode, 303);
    clientId = (await t.db.selectFrom('oauth_apps').select('client_id').executeTakeFirstOrThrow()).client_id;
  });
  after(() => t.close());

  it('refuses app registrations with a bad redirect address, keeping the typing', async () => {
    const r = await developer.post('/oauth/apps', { name: 'Leaky', redirect_uri: 'http://evil.example/cb' });
    assert.equal(r.statusCode, 422);
    assert.match(r.body, /must use https/);
    assert.match(r.body, /value="Leaky"/);
  });

  it('refuses authorization requests without S256 PKCE or with a foreign redirect, without redirecting', async () => {
    const base = { response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, scope: 'read', state: 's' };
    const noPkce = await reader.get(authorizeUrl(base));
    assert.equal(noPkce.statusCode, 400);
    assert.match(noPkce.body, /PKCE/);
    const plain = await reader.get(authorizeUrl({ ...base, code_challenge: pkce().challenge, code_challenge_method: 'plain' }));
    assert.equal(plain.statusCode, 400);
    const foreign = await reader.get(
      authorizeUrl({ ...base, redirect_uri: 'https://evil.example/cb', code_challenge: pkce().challenge, code_challenge_method: 'S256' }),
    );
    assert.equal(foreign.statusCode, 400);
    assert.equal(foreign.headers.location, undefined);
    const unknownScope = await reader.get(
      authorizeUrl({ ...base, scope: 'admin', code_challenge: pkce().challenge, code_challenge_method: 'S256' }),
    );
    assert.equal(unknownScope.statusCode, 400);
    const guest = await new TestVisitor(t.app).get(
      authorizeUrl({ ...base, code_challenge: pkce().challenge, code_challenge_method: 'S256' }),
    );
    assert.equal(guest.statusCode, 401, 'the consent page needs a signed-in person');
  });

  it('protects the consent form against forgery', async () => {
    const { challenge } = pkce();
    const forged = await t.app.inject({
      method: 'POST',
      url: '/oauth/authorize',
      headers: { cookie: [...reader.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        response_type: 'code',
        client_id: clientId,
        redirect_uri: REDIRECT,
        scope: 'read write:works',
        state: 's',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        decision: 'allow',
      }).toString(),
    });
    assert.equal(forged.statusCode, 403);
    assert.equal(await t.db.selectFrom('oauth_codes').select('id').executeTakeFirst(), undefined);
  });

  it('tells the app when the person denies it', async () => {
    const params = {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT,
      scope: 'read',
      state: 'deny-me',
      code_challenge: pkce().challenge,
      code_challenge_method: 'S256',
    };
    const answer = await reader.post('/oauth/authorize', { ...params, decision: 'deny' });
    assert.equal(answer.statusCode, 303);
    const location = new URL(String(answer.headers.location));
    assert.equal(location.searchParams.get('error'), 'access_denied');
    assert.equal(location.searchParams.get('state'), 'deny-me');
  });

  it('runs the whole flow: consent, token, scoped calls, refresh rotation, revocation', async () => {
    const { verifier, challenge } = pkce();
    const code = await consent('read write:interactions', challenge);

    // The code is stored hashed, and a wrong verifier does not redeem it.
    assert.ok(await t.db.selectFrom('oauth_codes').select('id').where('code_hash', '=', hashToken(code)).executeTakeFirst());
    const wrong = await tokenRequest({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: clientId,
      code_verifier: pkce().verifier,
    });
    assert.equal(wrong.statusCode, 400);
    assert.equal(wrong.json().error, 'invalid_grant');

    const code2 = await consent('read write:interactions', challenge);
    const granted = await tokenRequest({
      grant_type: 'authorization_code',
      code: code2,
      redirect_uri: REDIRECT,
      client_id: clientId,
      code_verifier: verifier,
    });
    assert.equal(granted.statusCode, 200, granted.body);
    assert.equal(granted.headers['cache-control'], 'no-store');
    const tokens = granted.json();
    assert.equal(tokens.token_type, 'Bearer');
    assert.ok(tokens.expires_in > 0);
    assert.match(tokens.access_token, /^ffa_/);
    assert.match(tokens.refresh_token, /^ffr_/);
    // Stored as hashes only.
    const stored = await t.db.selectFrom('oauth_tokens').selectAll().executeTakeFirstOrThrow();
    assert.equal(stored.access_token_hash, hashToken(tokens.access_token));
    assert.ok(!JSON.stringify(stored).includes(tokens.access_token));
    // A code is spent once.
    const replay = await tokenRequest({
      grant_type: 'authorization_code',
      code: code2,
      redirect_uri: REDIRECT,
      client_id: clientId,
      code_verifier: verifier,
    });
    assert.equal(replay.statusCode, 400);

    // Within its scopes: reading and bookmarking. Outside them: posting a work.
    const writer = await new TestVisitor(t.app).signUp('app_writer');
    const personal = /ff_[A-Za-z0-9_-]{43}/.exec((await writer.post('/users/app_writer/api_tokens', { name: 'w' })).body)![0];
    const work = await api('POST', '/api/v1/works', personal, CREATE_WORK_EXAMPLE);
    assert.equal(work.statusCode, 201, 'personal tokens hold every scope');
    const workId = work.json().work.id as number;
    assert.equal((await api('GET', '/api/v1/works', tokens.access_token)).statusCode, 200);
    const bookmark = await api('POST', `/api/v1/works/${workId}/bookmarks`, tokens.access_token, { notes: 'From my app.' });
    assert.equal(bookmark.statusCode, 201, bookmark.body);
    const refused = await api('POST', '/api/v1/works', tokens.access_token, CREATE_WORK_EXAMPLE);
    assert.equal(refused.statusCode, 403);
    assert.match(String(refused.headers['www-authenticate']), /insufficient_scope/);
    assert.match(String(refused.headers['www-authenticate']), /write:works/);

    // The reader sees the app and what it may do.
    const apps = await reader.get('/oauth/apps');
    assert.match(apps.body, /Shelf Reader/);
    assert.match(apps.body, /write:interactions/);

    // Refresh: a new pair; the old refresh token is spent.
    const refreshed = await tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: clientId });
    assert.equal(refreshed.statusCode, 200, refreshed.body);
    const next = refreshed.json();
    assert.notEqual(next.refresh_token, tokens.refresh_token);
    const again = await tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: clientId });
    assert.equal(again.statusCode, 400);
    assert.equal((await api('GET', '/api/v1/works', tokens.access_token)).statusCode, 401, 'the rotated pair ended with its refresh token');
    assert.equal((await api('GET', '/api/v1/works', next.access_token)).statusCode, 200);

    // Revocation by the reader ends the app's access at once.
    const appId = (await t.db.selectFrom('oauth_apps').select('id').executeTakeFirstOrThrow()).id;
    assert.equal((await reader.post(`/oauth/authorized/${appId}/revoke`)).statusCode, 303);
    assert.equal((await api('GET', '/api/v1/works', next.access_token)).statusCode, 401);
    assert.doesNotMatch((await reader.get('/oauth/apps')).body, /Shelf Reader<\/strong> by/);
  });

  it('lets an app revoke its own token (RFC 7009)', async () => {
    const { verifier, challenge } = pkce();
    const code = await consent('read', challenge);
    const tokens = (
      await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: clientId, code_verifier: verifier })
    ).json();
    const revoke = await t.app.inject({
      method: 'POST',
      url: '/api/oauth/revoke',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ token: tokens.refresh_token, client_id: clientId }).toString(),
    });
    assert.equal(revoke.statusCode, 200);
    assert.equal((await api('GET', '/api/v1/works', tokens.access_token)).statusCode, 401);
  });
});

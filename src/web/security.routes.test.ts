import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { makeAdmin, workIdOf } from '../../test/staff.ts';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A concrete URL for a route pattern: every parameter filled with something plausible. */
function concreteUrl(pattern: string, ids: { workId: number; chapterId: number; login: string }): string {
  return pattern
    .replace(/:chapterId/g, String(ids.chapterId))
    .replace(/:(id|workId)\b/g, String(ids.workId))
    .replace(/:(login|pseud)\b/g, ids.login)
    .replace(/:[A-Za-z_]+/g, '1')
    .replace(/\*$/, 'x');
}

function assertStrictHeaders(url: string, headers: Record<string, unknown>): void {
  const csp = String(headers['content-security-policy'] ?? '');
  assert.ok(csp, `${url}: no Content-Security-Policy`);
  const directives = new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values]),
  );
  assert.deepEqual(directives.get('script-src'), ["'self'"], `${url}: script-src is ${String(directives.get('script-src'))}`);
  assert.deepEqual(directives.get('frame-ancestors'), ["'none'"], `${url}: frame-ancestors`);
  assert.deepEqual(directives.get('object-src'), ["'none'"], `${url}: object-src`);
  assert.deepEqual(directives.get('default-src'), ["'self'"], `${url}: default-src`);
  assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'), `${url}: CSP allows unsafe code: ${csp}`);
  assert.equal(headers['referrer-policy'], 'no-referrer', `${url}: referrer-policy`);
  assert.equal(headers['x-content-type-options'], 'nosniff', `${url}: nosniff`);
  assert.equal(headers['x-frame-options'], 'SAMEORIGIN', `${url}: x-frame-options (for browsers without frame-ancestors)`);
}

function assertNoInlineScript(url: string, body: string): void {
  for (const tag of body.matchAll(/<script\b[^>]*>/gi)) assert.match(tag[0], /\bsrc=/, `${url}: inline script ${tag[0]}`);
  assert.doesNotMatch(body, /<[^>]+\son[a-z]+\s*=/i, `${url}: inline event handler`);
  assert.doesNotMatch(body, /href\s*=\s*["']?\s*javascript:/i, `${url}: javascript: URL`);
}

describe('security headers and CSRF', () => {
  let t: TestApp;
  let author: TestVisitor;
  let workId: number;
  let chapterId: number;

  before(async () => {
    t = await createTestApp({ PAGE_CACHE: 'off' });
    author = await new TestVisitor(t.app).signUp('author');
    await makeAdmin(t.db, 'author');
    workId = workIdOf((await author.post('/works', buildWorkForm())).headers.location);
    const chapter = await t.db.selectFrom('chapters').select('id').where('work_id', '=', workId).executeTakeFirstOrThrow();
    chapterId = chapter.id;
  });
  after(() => t.close());

  it('sends a strict policy and no inline script on every kind of page', async () => {
    const guest = new TestVisitor(t.app);
    const pages: Array<[TestVisitor, string, number]> = [
      [guest, '/', 200],
      [guest, '/works', 200],
      [guest, `/works/${workId}`, 200],
      [guest, `/works/${workId}/chapters/${chapterId}`, 200],
      [guest, `/works/${workId}/navigate`, 200],
      [guest, '/login', 200],
      [guest, '/signup', 200],
      [guest, '/users/author', 200],
      [guest, '/users/author/works', 200],
      [guest, '/tags/Fluff/works', 200],
      [guest, '/no/such/page', 404],
      [guest, '/works/new', 401],
      [guest, '/moderation', 401],
      [author, '/works/new', 200],
      [author, `/works/${workId}/edit`, 200],
      [author, '/users/author/password', 200],
      [author, '/moderation', 200],
      [author, '/admin/audit', 200],
      [author, `/reports/new?type=work&id=${workId}`, 200],
      [guest, '/api/v1/works', 200],
      [guest, '/static/style.css', 200],
      [guest, '/healthz', 200],
    ];
    for (const [visitor, url, status] of pages) {
      const response = await visitor.get(url);
      assert.equal(response.statusCode, status, `${url}: ${response.statusCode}`);
      assertStrictHeaders(url, response.headers);
      if (String(response.headers['content-type']).startsWith('text/html')) assertNoInlineScript(url, response.body);
    }
    // A redirect after a form and an error answer carry the same headers.
    const redirect = await author.post(`/works/${workId}/post`);
    assert.equal(redirect.statusCode, 303);
    assertStrictHeaders('POST redirect', redirect.headers);
  });

  it('sends HSTS and Secure cookies only over TLS, as told by a trusted proxy', async () => {
    const plain = await t.app.inject({ method: 'GET', url: '/login' });
    assert.equal(plain.headers['strict-transport-security'], undefined);
    for (const c of plain.cookies as Array<{ secure?: boolean }>) assert.notEqual(c.secure, true);

    const proxied = await createTestApp({ TRUST_PROXY: 'true', PAGE_CACHE: 'off' });
    try {
      const viaTls = await proxied.app.inject({ method: 'GET', url: '/login', headers: { 'x-forwarded-proto': 'https' } });
      assert.match(String(viaTls.headers['strict-transport-security']), /max-age=31536000/);
      const cookies = viaTls.cookies as Array<{ name: string; secure?: boolean; httpOnly?: boolean; sameSite?: string }>;
      assert.ok(cookies.length > 0, 'the login form sets the CSRF cookie');
      for (const c of cookies) {
        assert.equal(c.secure, true, `${c.name} is Secure`);
        assert.equal(c.httpOnly, true, `${c.name} is HttpOnly`);
        assert.equal(c.sameSite, 'Lax', `${c.name} is SameSite=Lax`);
      }
      const viaHttp = await proxied.app.inject({ method: 'GET', url: '/login', headers: { 'x-forwarded-proto': 'http' } });
      assert.equal(viaHttp.headers['strict-transport-security'], undefined);
      // Without TRUST_PROXY a client cannot claim TLS by sending the header itself.
      const spoofed = await t.app.inject({ method: 'GET', url: '/login', headers: { 'x-forwarded-proto': 'https' } });
      assert.equal(spoofed.headers['strict-transport-security'], undefined);
    } finally {
      await proxied.close();
    }
  });

  it('refuses every state-changing route, enumerated from the app, without a token or same-site Origin', async () => {
    const routes = t.app.routeList.filter((r) => STATE_CHANGING.has(r.method));
    assert.ok(routes.length >= 25, `only ${routes.length} state-changing routes found: is the route list wired?`);
    const ids = { workId, chapterId, login: 'author' };
    const cookie = [...author.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const failures: string[] = [];
    for (const route of routes) {
      const url = concreteUrl(route.url, ids);
      const attempts: Array<[string, Record<string, string>]> = [
        ['no token, no Origin', {}],
        ['wrong token, cross-site Origin', { origin: 'https://evil.example', 'x-csrf-token': 'forged' }],
        ['token from another visitor', { 'x-csrf-token': 'A'.repeat(43) }],
      ];
      for (const [label, extra] of attempts) {
        const response = await t.app.inject({
          method: route.method as 'POST',
          url,
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...extra },
          payload: 'title=forged&reason=forged&body=forged',
        });
        // The API takes no authority from cookies at all: there a forged request is refused as unauthenticated.
        const refused = response.statusCode === 403 || (route.url.startsWith('/api/') && response.statusCode === 401);
        if (!refused) failures.push(`${route.method} ${route.url} (${label}): ${response.statusCode}`);
      }
    }
    assert.deepEqual(failures, [], `state-changing routes that accepted a forged request:\n${failures.join('\n')}`);
    // The work is untouched: none of the forged requests got through.
    const work = await t.db.selectFrom('works').select('title').where('id', '=', workId).executeTakeFirst();
    assert.equal(work?.title, 'A Test Work');
  });

  it('follows return_to only to a path on this site, and never answers a strange one with a 500', async () => {
    // [sent, where the visitor goes]. Browsers drop tab and newline inside a URL and read `\`
    // as `/`, so each of the refused ones is another host to them (or no valid header at all).
    const cases: Array<[string, string]> = [
      ['/works?sort=kudos#top', '/works?sort=kudos#top'],
      ['/tags/Café/works', '/tags/Caf%C3%A9/works'],
      ['\n', '/'],
      ['/works\n', '/'],
      ['/works\r\nSet-Cookie: x=1', '/'],
      ['\t', '/'],
      ['/\t/evil.example/x', '/'],
      ['/\n/evil.example/x', '/'],
      ['//evil.example', '/'],
      ['/\\evil.example', '/'],
      ['\\/evil.example', '/'],
      [' //evil.example', '/'],
      ['https://evil.example', '/'],
      ['javascript:alert(1)', '/'],
      // NUL never reaches the route: the boundary removes it (src/web/input-hygiene.ts).
      ['/works\u0000', '/works'],
    ];
    const visitor = new TestVisitor(t.app);
    await visitor.get('/login');
    const cookie = [...visitor.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const failures: string[] = [];
    for (const [index, [sent, expected]] of cases.entries()) {
      // Logins are rate limited per address: each case comes from its own.
      const remoteAddress = `127.0.1.${index + 1}`;
      const form = (extra: Record<string, string>) =>
        new URLSearchParams({ _csrf: visitor.csrfToken, return_to: sent, ...extra }).toString();
      const headers = { cookie, 'content-type': 'application/x-www-form-urlencoded' };
      const login = await t.app.inject({
        method: 'POST',
        url: '/login',
        remoteAddress,
        headers,
        payload: form({ login: 'author', password: 'correct horse battery' }),
      });
      if (login.statusCode !== 303 || login.headers.location !== expected)
        failures.push(`login ${JSON.stringify(sent)}: ${login.statusCode} ${JSON.stringify(login.headers.location)}`);
      const kudos = await t.app.inject({ method: 'POST', url: `/works/${workId}/kudos`, remoteAddress, headers, payload: form({}) });
      const kudosExpected = expected === '/' ? `/works/${workId}#kudos` : `${expected}#kudos`;
      if (kudos.statusCode !== 303 || kudos.headers.location !== kudosExpected)
        failures.push(`kudos ${JSON.stringify(sent)}: ${kudos.statusCode} ${JSON.stringify(kudos.headers.location)}`);
      const page = await t.app.inject({ method: 'GET', url: `/login?return_to=${encodeURIComponent(sent)}`, remoteAddress });
      const hidden = /name="return_to" value="([^"]*)"/.exec(page.body)?.[1];
      if (page.statusCode !== 200 || hidden !== expected.replace(/&/g, '&amp;'))
        failures.push(`login page ${JSON.stringify(sent)}: ${page.statusCode} ${hidden}`);
    }
    assert.deepEqual(failures, []);
  });

  it('accepts the same requests with the token, or from a same-site Origin (control)', async () => {
    const cookie = [...author.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const withOrigin = await t.app.inject({
      method: 'POST',
      url: `/reports`,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: 'http://archive.test', host: 'archive.test' },
      payload: `target_type=work&target_id=${workId}&reason=Spam`,
    });
    assert.equal(withOrigin.statusCode, 303);
    const withToken = await author.post('/reports', { target_type: 'work', target_id: String(workId), reason: 'Spam' });
    assert.equal(withToken.statusCode, 303);
  });
});

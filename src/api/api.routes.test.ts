import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { hashToken } from '../lib/tokens.ts';
import { READS_PER_MINUTE, WRITES_PER_MINUTE } from './api.schema.ts';

type Json = Record<string, any>;

/** A valid create-work body; override any field. */
function buildWorkBody(overrides: Json = {}): Json {
  return {
    title: 'An API Work',
    summary: 'A summary.',
    rating: 'General Audiences',
    warnings: ['No Archive Warnings Apply'],
    categories: ['Gen'],
    fandoms: ['Test Fandom'],
    characters: ['Alice', 'Bob'],
    freeforms: ['Fluff'],
    expected_chapters: 1,
    chapter: { text: 'First paragraph.\n\nSecond paragraph, with "dialogue".', format: 'plain' },
    ...overrides,
  };
}

/** Signs up through the pages and issues an API token on the tokens page, as a person would. */
async function signUpWithToken(t: TestApp, login: string): Promise<{ visitor: TestVisitor; token: string }> {
  const visitor = await new TestVisitor(t.app).signUp(login);
  const page = await visitor.post(`/users/${login}/api_tokens`, { name: 'test client' });
  assert.equal(page.statusCode, 200, page.body.slice(0, 300));
  const token = /ff_[A-Za-z0-9_-]{43}/.exec(page.body)?.[0];
  assert.ok(token, 'the tokens page shows the new token once');
  return { visitor, token };
}

function json(response: LightMyRequestResponse): Json {
  // Errors come as problem details (RFC 9457), answers as JSON.
  assert.match(String(response.headers['content-type']), /^application\/(problem\+)?json; charset=utf-8/);
  return response.json();
}

async function countWorks(t: TestApp): Promise<number> {
  const row = await t.db
    .selectFrom('works')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('JSON API /api/v1', () => {
  let t: TestApp;
  let author: { visitor: TestVisitor; token: string };
  let reader: { visitor: TestVisitor; token: string };

  const get = (url: string, token?: string) =>
    t.app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const post = (body: unknown, token?: string, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/works',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
    });
  const create = async (overrides: Json = {}, token = author.token): Promise<Json> => {
    const r = await post(buildWorkBody(overrides), token);
    assert.equal(r.statusCode, 201, r.body.slice(0, 500));
    return r.json();
  };

  before(async () => {
    t = await createTestApp();
    author = await signUpWithToken(t, 'api_author');
    reader = await signUpWithToken(t, 'api_reader');
  });
  after(() => t.close());

  it('creates a work from JSON and returns it with its chapters and a Location', async () => {
    const r = await post(buildWorkBody({ title: 'Created', relationships: ['Alice/Bob', 'Alice & Carol'], language: 'fr' }), author.token);
    assert.equal(r.statusCode, 201, r.body);
    const body = json(r);
    const id = body.work.id;
    assert.equal(r.headers.location, `http://archive.test/api/v1/works/${id}`);
    assert.equal(body.work.url, `http://archive.test/works/${id}`);
    assert.equal(body.work.title, 'Created');
    assert.deepEqual(body.work.creators, [{ pseud: 'api_author', login: 'api_author' }]);
    assert.equal(body.work.rating, 'General Audiences');
    assert.deepEqual(body.work.warnings, ['No Archive Warnings Apply']);
    assert.deepEqual(body.work.categories, ['Gen']);
    assert.deepEqual(body.work.fandoms, ['Test Fandom']);
    assert.deepEqual(body.work.relationships, ['Alice/Bob', 'Alice & Carol']);
    assert.deepEqual(body.work.characters, ['Alice', 'Bob']);
    assert.deepEqual(body.work.freeforms, ['Fluff']);
    assert.equal(body.work.language, 'fr');
    assert.equal(body.work.chapters, '1/1');
    assert.equal(body.work.chapter_count, 1);
    assert.equal(body.work.expected_chapters, 1);
    assert.equal(body.work.complete, true);
    assert.equal(body.work.restricted, false);
    assert.equal(body.work.draft, false);
    assert.equal(body.work.words, 6);
    assert.match(body.work.published_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.match(body.work.updated_at, /^\d{4}-\d\d-\d\dT/);
    assert.equal(body.chapters.length, 1);
    assert.equal(body.chapters[0].position, 1);
    assert.equal(body.chapters[0].body_html, '<p>First paragraph.</p>\n<p>Second paragraph, with "dialogue".</p>');
    assert.equal(body.chapters[0].words, 6);

    // The same work through GET and on the HTML page.
    const again = await get(`/api/v1/works/${id}`);
    assert.equal(again.statusCode, 200);
    assert.deepEqual(json(again), body);
    assert.equal((await new TestVisitor(t.app).get(`/works/${id}`)).statusCode, 200);
  });

  it('keeps the founding story’s characters exactly, stray spaces and typos included', async () => {
    const text = '" I SAID NO!" she screamed.\n\nIts fine, Ill be fine.\n\n\nthe possibly could';
    const body = await create({ chapter: { text, format: 'plain' } });
    assert.equal(
      body.chapters[0].body_html,
      '<p>" I SAID NO!" she screamed.</p>\n<p>Its fine, Ill be fine.</p>\n<p>the possibly could</p>',
    );
  });

  it('lists visible works newest-updated first, 20 a page', async () => {
    // Its own account: the author's writes stay under the rate limit.
    const lister = await signUpWithToken(t, 'api_lister');
    for (let i = 0; i < 21; i += 1) await create({ title: `Listed ${i}` }, lister.token);
    const first = await get('/api/v1/works');
    assert.equal(first.statusCode, 200);
    const page1 = json(first);
    assert.equal(page1.page, 1);
    assert.equal(page1.works.length, 20);
    assert.equal(page1.hasNext, true);
    assert.equal(page1.works[0].title, 'Listed 20');
    assert.equal(page1.works[1].title, 'Listed 19');
    for (const key of ['id', 'url', 'creators', 'rating', 'warnings', 'summary_html', 'words', 'chapters', 'kudos', 'hits', 'updated_at']) {
      assert.ok(key in page1.works[0], `work has ${key}`);
    }
    assert.equal(page1.works[0].summary_html, '<p>A summary.</p>');
    const second = json(await get('/api/v1/works?page=2'));
    assert.equal(second.page, 2);
    assert.ok(second.works.length >= 1);
    const seen = new Set(page1.works.map((w: Json) => w.id));
    assert.ok(
      second.works.every((w: Json) => !seen.has(w.id)),
      'pages do not overlap',
    );
    const far = json(await get('/api/v1/works?page=999'));
    assert.deepEqual(far, { works: [], page: 999, hasNext: false });
  });

  it('refuses a bad page number with a 400 JSON error', async () => {
    for (const page of ['0', '-1', 'abc', '1.5', '1234567']) {
      const r = await get(`/api/v1/works?page=${page}`);
      assert.equal(r.statusCode, 400, page);
      assert.equal(json(r).error.status, 400);
      assert.match(r.json().error.message, /page number/);
    }
  });

  it('keeps drafts to their creators and restricted works to token holders', async () => {
    const draft = (await create({ title: 'API Draft', draft: true })).work;
    assert.equal(draft.draft, true);
    assert.equal(draft.published_at, null);
    const restricted = (await create({ title: 'API Members Only', restricted: true })).work;
    assert.equal(restricted.restricted, true);

    // The draft: its creator reads it, no one else learns it exists.
    assert.equal((await get(`/api/v1/works/${draft.id}`, author.token)).statusCode, 200);
    const asReader = await get(`/api/v1/works/${draft.id}`, reader.token);
    assert.equal(asReader.statusCode, 404);
    assert.deepEqual(Object.keys(json(asReader).error).sort(), ['message', 'status']);
    assert.equal((await get(`/api/v1/works/${draft.id}`)).statusCode, 404);

    // The restricted work: any token, not guests.
    const guest = await get(`/api/v1/works/${restricted.id}`);
    assert.equal(guest.statusCode, 401);
    assert.equal(json(guest).error.status, 401);
    assert.equal(guest.headers['www-authenticate'], 'Bearer');
    assert.equal((await get(`/api/v1/works/${restricted.id}`, reader.token)).statusCode, 200);

    const titles = async (token?: string) => {
      const all: string[] = [];
      for (let page = 1; ; page += 1) {
        const body = json(await get(`/api/v1/works?page=${page}`, token));
        all.push(...body.works.map((w: Json) => w.title));
        if (!body.hasNext) return all;
      }
    };
    const guestTitles = await titles();
    assert.ok(!guestTitles.includes('API Draft') && !guestTitles.includes('API Members Only'));
    const readerTitles = await titles(reader.token);
    assert.ok(readerTitles.includes('API Members Only'));
    assert.ok(!readerTitles.includes('API Draft'), 'drafts are not listed, even to a token holder');
    assert.ok(!(await titles(author.token)).includes('API Draft'), 'the list shows posted works only');
  });

  it('answers bad ids and unknown API paths with JSON 404s', async () => {
    for (const id of ['abc', '0', '-3', '1e3', '99999999999', '2147483647', '%00']) {
      const r = await get(`/api/v1/works/${id}`);
      assert.equal(r.statusCode, 404, id);
      assert.equal(json(r).error.status, 404);
    }
    const r = await get('/api/v1/nothing-here');
    assert.equal(r.statusCode, 404);
    assert.equal(json(r).error.status, 404);
  });

  it('needs a live token to create a work, and records when it was used', async () => {
    const before = await countWorks(t);
    const none = await post(buildWorkBody());
    assert.equal(none.statusCode, 401);
    assert.match(json(none).error.message, /Authorization: Bearer/);
    assert.equal(none.headers['www-authenticate'], 'Bearer');

    const unknown = await post(buildWorkBody(), 'ff_not-a-real-token');
    assert.equal(unknown.statusCode, 401);
    assert.match(json(unknown).error.message, /unknown, expired or has been revoked/);

    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/works',
      headers: { 'content-type': 'application/json', authorization: 'Basic dXNlcjpwYXNz' },
      payload: JSON.stringify(buildWorkBody()),
    });
    assert.equal(malformed.statusCode, 401);

    // A browser session is not an API credential (and brings no CSRF token either).
    const withCookie = await t.app.inject({
      method: 'POST',
      url: '/api/v1/works',
      headers: { 'content-type': 'application/json', cookie: [...author.visitor.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      payload: JSON.stringify(buildWorkBody()),
    });
    assert.equal(withCookie.statusCode, 401);
    assert.equal(await countWorks(t), before);

    // A bad token is refused on reads too, rather than silently served as a guest.
    assert.equal((await get('/api/v1/works', 'ff_not-a-real-token')).statusCode, 401);

    const row = await t.db
      .selectFrom('api_tokens')
      .select('last_used_at')
      .where('token_hash', '=', hashToken(author.token))
      .executeTakeFirstOrThrow();
    assert.ok(row.last_used_at instanceof Date && Date.now() - row.last_used_at.getTime() < 120_000);
  });

  it('refuses a revoked token', async () => {
    const revoking = await signUpWithToken(t, 'api_revoker');
    assert.equal((await post(buildWorkBody({ title: 'Before revoking' }), revoking.token)).statusCode, 201);
    const { id } = await t.db
      .selectFrom('api_tokens')
      .select('id')
      .where('token_hash', '=', hashToken(revoking.token))
      .executeTakeFirstOrThrow();
    const revoked = await revoking.visitor.post(`/users/api_revoker/api_tokens/${id}/revoke`);
    assert.equal(revoked.statusCode, 303);
    const before = await countWorks(t);
    const r = await post(buildWorkBody({ title: 'After revoking' }), revoking.token);
    assert.equal(r.statusCode, 401);
    assert.match(json(r).error.message, /revoked/);
    assert.equal(await countWorks(t), before);
    const restricted = (await create({ title: 'Restricted for revoked', restricted: true })).work;
    assert.equal((await get(`/api/v1/works/${restricted.id}`, revoking.token)).statusCode, 401);
  });

  it('refuses invalid works with 422 and a message per field, writing nothing', async () => {
    const { token } = await signUpWithToken(t, 'api_sloppy');
    const before = await countWorks(t);
    const tagsBefore = await t.db
      .selectFrom('tags')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const r = await post(
      {
        title: '   ',
        rating: 'Very Spicy',
        warnings: [],
        fandoms: [],
        characters: 'Alice, Bob',
        freeforms: ['New Tag That Must Not Be Saved', 'Bad<Tag'],
        language: 'xx',
        expected_chapters: 0,
        restricted: 'yes',
        colour: 'blue',
        chapter: { text: '  ', format: 'docx' },
      },
      token,
    );
    assert.equal(r.statusCode, 422);
    const error = json(r).error;
    assert.equal(error.status, 422);
    assert.match(error.message, /not created/);
    assert.match(error.fields.title, /Give your work a title/);
    assert.match(error.fields.rating, /Choose a rating/);
    assert.match(error.fields.warnings, /at least one archive warning/);
    assert.match(error.fields.fandoms, /at least one fandom/);
    assert.match(error.fields.characters, /array of strings/);
    assert.match(error.fields.freeforms, /cannot have/);
    assert.match(error.fields.language, /language/);
    assert.match(error.fields.expected_chapters, /whole number from 1/);
    assert.match(error.fields.restricted, /true or false/);
    assert.match(error.fields.colour, /not part of the API/);
    assert.match(error.fields['chapter.text'], /Add the text/);
    assert.match(error.fields['chapter.format'], /plain text, Markdown or HTML/);
    assert.equal(await countWorks(t), before);
    const tagsAfter = await t.db
      .selectFrom('tags')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(tagsAfter.n, tagsBefore.n);

    const missing = await post({ rating: 'Mature' }, token);
    assert.equal(missing.statusCode, 422);
    assert.deepEqual(Object.keys(missing.json().error.fields).sort(), ['chapter', 'fandoms', 'title', 'warnings']);

    for (const body of [[], null, 'a string', 42]) {
      const odd = await post(JSON.stringify(body), token);
      assert.equal(odd.statusCode, 422, JSON.stringify(body));
      assert.match(odd.json().error.fields._body, /JSON object/);
    }

    const long = await post(buildWorkBody({ title: 'x'.repeat(256), fandoms: ['Commas, Split'] }), token);
    assert.equal(long.statusCode, 422);
    assert.match(long.json().error.fields.title, /at most 255/);
    assert.match(long.json().error.fields.fandoms, /commas/);
    assert.equal(await countWorks(t), before);
  });

  it('sanitizes HTML chapters and notes; titles come back as plain JSON strings', async () => {
    const body = await create({
      title: '<script>alert(1)</script> Title',
      summary: '<b onmouseover="x()">bold</b><script>alert(5)</script>',
      notes: '<iframe src="https://evil.example"></iframe>Notes',
      chapter: {
        title: '<img src=x onerror=alert(6)>',
        format: 'html',
        text: '<p onclick="x()">Hello <em>there</em></p><script>alert(2)</script><a href="javascript:alert(3)">link</a><img src=x onerror="alert(4)"><style>p{}</style>',
      },
    });
    assert.equal(body.work.title, '<script>alert(1)</script> Title');
    const html = [body.work.summary_html, body.work.notes_html, body.chapters[0].body_html].join('\n');
    assert.doesNotMatch(html, /<script|<iframe|<style|onclick|onerror|onmouseover|javascript:/i);
    assert.match(body.chapters[0].body_html, /<p>Hello <em>there<\/em><\/p>/);
    assert.match(body.work.summary_html, /<b>bold<\/b>/);
    assert.equal(body.chapters[0].title, '<img src=x onerror=alert(6)>', 'chapter titles are plain text');
    // And the HTML page escapes the same title.
    const page = await new TestVisitor(t.app).get(`/works/${body.work.id}`);
    assert.doesNotMatch(page.body, /<script>alert\(1\)/);

    const markdown = await create({
      chapter: { format: 'markdown', text: 'Some *emphasis*\n\n<script>alert(7)</script>[x](javascript:alert(8))' },
    });
    assert.match(markdown.chapters[0].body_html, /<em>emphasis<\/em>/);
    assert.doesNotMatch(markdown.chapters[0].body_html, /<script|href="javascript:/);
  });

  it('answers malformed bodies with 400 and other content types with 415, never a 500', async () => {
    const { token } = await signUpWithToken(t, 'api_malformed');
    const before = await countWorks(t);
    const broken = await post('{"title": "unfinished', token);
    assert.equal(broken.statusCode, 400);
    assert.match(json(broken).error.message, /JSON/);

    const empty = await post('', token);
    assert.equal(empty.statusCode, 400);
    assert.equal(json(empty).error.status, 400);

    const latin1 = await post(Buffer.concat([Buffer.from('{"title": "caf'), Buffer.from([0xe9]), Buffer.from('"}')]), token);
    assert.equal(latin1.statusCode, 400);
    assert.match(json(latin1).error.message, /UTF-8/);

    const poisoned = await post('{"__proto__": {"admin": true}, "title": "x"}', token);
    assert.equal(poisoned.statusCode, 400);

    const form = await post('title=Hello&rating=Mature', token, { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(form.statusCode, 415);
    assert.equal(json(form).error.status, 415);
    for (const type of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x']) {
      const r = await post(JSON.stringify(buildWorkBody()), token, { 'content-type': type });
      assert.equal(r.statusCode, 415, type);
      assert.equal(json(r).error.status, 415);
    }
    const noType = await t.app.inject({
      method: 'POST',
      url: '/api/v1/works',
      headers: { authorization: `Bearer ${token}` },
      payload: JSON.stringify(buildWorkBody()),
    });
    assert.equal(noType.statusCode, 415);

    // The charset parameter is fine, and UTF-8 text arrives intact.
    const utf8 = await post(buildWorkBody({ title: 'Café “quoted” — 日本語 🦇' }), token, {
      'content-type': 'application/json; charset=utf-8',
    });
    assert.equal(utf8.statusCode, 201);
    assert.equal(utf8.json().work.title, 'Café “quoted” — 日本語 🦇');
    assert.equal(await countWorks(t), before + 1);
  });

  it('keeps API answers out of shared caches, and lets a client revalidate a read with its ETag', async () => {
    const r = await get('/api/v1/works');
    assert.equal(r.headers['cache-control'], 'private, no-cache');
    assert.match(String(r.headers.vary), /Authorization/i);
    const etag = String(r.headers.etag);
    assert.match(etag, /^"[A-Za-z0-9_-]+"$/);
    const again = await t.app.inject({ method: 'GET', url: '/api/v1/works', headers: { 'if-none-match': etag } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/works', headers: { 'if-none-match': '"other"' } })).statusCode, 200);
  });

  it('links to the next and previous pages of a list', async () => {
    const pager = await signUpWithToken(t, 'api_pager');
    const total = (await get('/api/v1/works')).json().works.length as number;
    for (let i = total; i < 21; i += 1) await create({ title: `Paged ${i}` }, pager.token);
    const first = await get('/api/v1/works');
    assert.match(String(first.headers.link), /<\/api\/v1\/works\?page=2>; rel="next"/);
    assert.doesNotMatch(String(first.headers.link), /rel="prev"/);
    const second = await get('/api/v1/works?page=2');
    assert.match(String(second.headers.link), /<\/api\/v1\/works\?page=1>; rel="prev"/);
  });

  it('says its limits in the RateLimit header fields', async () => {
    const r = await get('/api/v1/works');
    assert.equal(r.headers['ratelimit-limit'], String(READS_PER_MINUTE));
    assert.ok(Number(r.headers['ratelimit-remaining']) < READS_PER_MINUTE);
    assert.ok(Number(r.headers['ratelimit-reset']) > 0);
    assert.equal(r.headers['ratelimit-policy'], `${READS_PER_MINUTE};w=60`);
    assert.equal(r.headers['x-ratelimit-limit'], undefined);
  });

  it('answers errors as RFC 9457 problem details, keeping the error member', async () => {
    const r = await get('/api/v1/works/999999');
    assert.equal(r.statusCode, 404);
    assert.match(String(r.headers['content-type']), /^application\/problem\+json/);
    const body = r.json();
    assert.equal(body.type, 'about:blank');
    assert.equal(body.title, 'Not Found');
    assert.equal(body.status, 404);
    assert.equal(body.detail, body.error.message);
  });

  it(`rate limits writes per token (${WRITES_PER_MINUTE} a minute) with a JSON 429`, async () => {
    const busy = await signUpWithToken(t, 'api_busy');
    let last: LightMyRequestResponse | undefined;
    for (let i = 0; i < WRITES_PER_MINUTE; i += 1) {
      // Invalid bodies: they count, and write nothing.
      last = await post({}, busy.token);
      assert.equal(last.statusCode, 422);
    }
    const limited = await post(buildWorkBody(), busy.token);
    assert.equal(limited.statusCode, 429);
    assert.equal(json(limited).error.status, 429);
    assert.ok(Number(limited.headers['retry-after']) > 0);
    // Other accounts are not affected.
    assert.equal((await post({}, reader.token)).statusCode, 422);
  });
});

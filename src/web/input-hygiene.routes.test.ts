import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { workIdOf } from '../../test/staff.ts';

/** Every character the boundary removes, in one string; tab, LF and CR are kept. */
const CONTROL = '\u0000\u0001\u0008\u000b\u000c\u001b\u001f\u007f';
const UNSTORABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function assertNot500(label: string, response: LightMyRequestResponse): void {
  assert.ok(response.statusCode < 500, `${label}: ${response.statusCode} ${response.body.slice(0, 300)}`);
}

async function signUpWithToken(t: TestApp, login: string): Promise<{ visitor: TestVisitor; token: string }> {
  const visitor = await new TestVisitor(t.app).signUp(login);
  const page = await visitor.post(`/users/${login}/api_tokens`, { name: 'test client' });
  const token = /ff_[A-Za-z0-9_-]{43}/.exec(page.body)?.[0];
  assert.ok(token, 'the tokens page shows the new token once');
  return { visitor, token };
}

describe('control characters in requests', () => {
  let t: TestApp;
  let author: TestVisitor;
  let token: string;

  before(async () => {
    t = await createTestApp({ PAGE_CACHE: 'off' });
    ({ visitor: author, token } = await signUpWithToken(t, 'author'));
  });
  after(() => t.close());

  async function savedWork(workId: number) {
    const work = await t.db.selectFrom('works').select(['title', 'summary_html']).where('id', '=', workId).executeTakeFirstOrThrow();
    const chapter = await t.db.selectFrom('chapters').select('body_html').where('work_id', '=', workId).executeTakeFirstOrThrow();
    const tags = await t.db
      .selectFrom('work_tags')
      .innerJoin('tags', 'tags.id', 'work_tags.tag_id')
      .select('tags.name')
      .where('work_tags.work_id', '=', workId)
      .execute();
    return { ...work, body_html: chapter.body_html, tags: tags.map((tag) => tag.name) };
  }

  function assertClean(label: string, saved: Awaited<ReturnType<typeof savedWork>>): void {
    for (const text of [saved.title, saved.summary_html, saved.body_html, ...saved.tags]) {
      assert.doesNotMatch(text, UNSTORABLE, `${label}: ${JSON.stringify(text)} kept a control character`);
    }
  }

  it('removes them from a posted work (url-encoded form), keeping the text around them', async () => {
    const response = await author.post(
      '/works',
      buildWorkForm({
        title: `Night${CONTROL}fall`,
        summary: `A sum\u0000mary\twith a tab.`,
        freeforms: `Flu\u0000ff, Angst\u0007`,
        body: `First\u0000 paragraph.\r\n\r\nSecond \u001bparagraph, with an emoji 🌙.`,
      }),
    );
    assert.equal(response.statusCode, 303, response.body.slice(0, 300));
    const saved = await savedWork(workIdOf(response.headers.location));
    assertClean('form', saved);
    assert.equal(saved.title, 'Nightfall');
    assert.match(saved.body_html, /First paragraph\./);
    assert.match(saved.body_html, /Second paragraph, with an emoji 🌙\./);
    assert.ok(saved.tags.includes('Fluff') && saved.tags.includes('Angst'), saved.tags.join(', '));
  });

  it('removes them from a multipart form', async () => {
    const response = await author.postMultipart('/works', buildWorkForm({ title: `Multi\u0000part`, body: `Body\u0000 text.` }), {});
    assert.equal(response.statusCode, 303, response.body.slice(0, 300));
    const saved = await savedWork(workIdOf(response.headers.location));
    assertClean('multipart', saved);
    assert.equal(saved.title, 'Multipart');
  });

  it('a title of nothing but control characters is an empty title: a 422 with the form', async () => {
    const response = await author.post('/works', buildWorkForm({ title: '\u0000\u0000' }));
    assert.equal(response.statusCode, 422);
    assert.match(response.body, /title/i);
  });

  it('removes them from JSON bodies of the API, nested objects and arrays included', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/works',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      payload: JSON.stringify({
        title: `API\u0000 Work`,
        rating: 'General Audiences',
        warnings: ['No Archive Warnings Apply'],
        categories: ['Gen'],
        fandoms: ['Test\u0000 Fandom'],
        freeforms: ['Fl\u0000uff', '\udc00Hurt'],
        chapter: { text: `Text\u0000 of the\u001f chapter, half an emoji \ud83d.`, format: 'plain' },
      }),
    });
    assert.equal(response.statusCode, 201, response.body.slice(0, 300));
    const saved = await savedWork(response.json().work.id);
    assertClean('API', saved);
    assert.equal(saved.title, 'API Work');
    // Half an emoji is removed, not stored as a replacement character.
    assert.match(saved.body_html, /Text of the chapter, half an emoji \./);
    assert.ok(saved.tags.includes('Test Fandom') && saved.tags.includes('Hurt'), saved.tags.join(', '));
  });

  it('removes them from a JSON field name, too (the API then names the field it does not know)', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/works',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      payload: JSON.stringify({ 'ti\u0000tle': 'Key', rating: 'General Audiences', chapter: { text: 'x', format: 'plain' } }),
    });
    assertNot500('JSON key', response);
    assert.doesNotMatch(response.body, /\\u0000/);
  });

  it('answers search, autocomplete, tag and user pages with NUL in the query or path', async () => {
    const guest = new TestVisitor(t.app);
    const urls = [
      '/works/search?q=fluff%00',
      '/works/search?q=%00&fandoms=Test%00%20Fandom',
      '/works/search?q=%ED%A0%80',
      '/autocomplete/tags?type=freeform&term=Fl%00u',
      '/autocomplete/tags?type=free%00form&term=%00',
      '/tags/Fl%00uff',
      '/tags/Fl%00uff/works',
      '/users/auth%00or',
      '/users/auth%00or/works',
      '/users/%00',
      '/api/v1/works?page=1%00',
    ];
    for (const url of urls) assertNot500(url, await guest.get(url));
    // The cleaned value is what the handler sees: the tag and the user are found.
    assert.equal((await guest.get('/tags/Fl%00uff')).statusCode, 200);
    assert.equal((await guest.get('/users/auth%00or')).statusCode, 200);
    const suggestions = await guest.get('/autocomplete/tags?type=freeform&term=Fl%00u');
    assert.equal(suggestions.statusCode, 200);
    assert.match(suggestions.body, /Fluff/);
  });

  it('logs in with NUL in the login field, and refuses a wrong one with a 422', async () => {
    const visitor = new TestVisitor(t.app);
    const ok = await visitor.post('/login', { login: 'auth\u0000or', password: 'correct horse battery' });
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 300));
    const wrong = await new TestVisitor(t.app).post('/login', { login: '\u0000nobody', password: 'x\u0000' });
    assert.equal(wrong.statusCode, 422);
    const signUp = await new TestVisitor(t.app).post('/signup', {
      login: 'new\u0000comer',
      email: 'newcomer@example.org\u0000',
      password: 'correct horse battery',
      password_confirmation: 'correct horse battery',
    });
    assertNot500('sign-up', signUp);
    const user = await t.db.selectFrom('users').select(['login', 'email']).where('login', 'like', 'new%').executeTakeFirst();
    if (user) assert.doesNotMatch(`${user.login}${user.email}`, UNSTORABLE);
  });
});

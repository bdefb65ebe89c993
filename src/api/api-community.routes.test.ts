import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { hashToken } from '../lib/tokens.ts';
import { ACCOUNT_CEILING_FACTOR } from './api.auth.ts';
import { READS_PER_MINUTE, WRITES_PER_MINUTE } from './api.schema.ts';

// /api/v1 search, series, bookmarks and comments (api-community.routes.ts), and per-token limits.

type Json = Record<string, any>;

function workBody(overrides: Json = {}): Json {
  return {
    title: 'An API Work',
    rating: 'General Audiences',
    warnings: ['No Archive Warnings Apply'],
    fandoms: ['Test Fandom'],
    chapter: { text: 'First paragraph.\n\nSecond paragraph.', format: 'plain' },
    ...overrides,
  };
}

describe('JSON API: search, series, bookmarks, comments', () => {
  let t: TestApp;
  const accounts = new Map<string, { visitor: TestVisitor; token: string; id: number }>();

  async function account(login: string) {
    const known = accounts.get(login);
    if (known) return known;
    const visitor = await new TestVisitor(t.app).signUp(login);
    const page = await visitor.post(`/users/${login}/api_tokens`, { name: 'test client' });
    const token = /ff_[A-Za-z0-9_-]{43}/.exec(page.body)![0];
    const { id } = await t.db.selectFrom('users').select('id').where('login', '=', login).executeTakeFirstOrThrow();
    const entry = { visitor, token, id };
    accounts.set(login, entry);
    return entry;
  }
  const auth = (token?: string): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});
  const get = (url: string, token?: string) => t.app.inject({ method: 'GET', url, headers: auth(token) });
  const post = (url: string, body: unknown, token?: string) =>
    t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...auth(token) }, payload: JSON.stringify(body) });
  const json = (r: LightMyRequestResponse): Json => {
    assert.match(String(r.headers['content-type']), /^application\/(problem\+)?json/);
    return r.json();
  };
  async function create(login: string, overrides: Json = {}): Promise<number> {
    const r = await post('/api/v1/works', workBody(overrides), (await account(login)).token);
    assert.equal(r.statusCode, 201, r.body.slice(0, 300));
    return json(r).work.id;
  }
  async function revokedToken(login: string): Promise<string> {
    const a = await account(login);
    const page = await a.visitor.post(`/users/${login}/api_tokens`, { name: 'to revoke' });
    const token = /ff_[A-Za-z0-9_-]{43}/.exec(page.body)![0];
    const { id } = await t.db.selectFrom('api_tokens').select('id').where('token_hash', '=', hashToken(token)).executeTakeFirstOrThrow();
    assert.equal((await a.visitor.post(`/users/${login}/api_tokens/${id}/revoke`)).statusCode, 303);
    return token;
  }

  let open: number;
  let crossover: number;
  let members: number;
  let draft: number;

  before(async () => {
    t = await createTestApp();
    open = await create('author', {
      title: 'Harbour Lights',
      fandoms: ['Sea Stories'],
      characters: ['Mara'],
      freeforms: ['Fluff'],
      rating: 'Teen And Up Audiences',
    });
    crossover = await create('author', {
      title: 'Harbour Crossing',
      fandoms: ['Sea Stories', 'Sky Stories'],
      freeforms: ['Angst'],
      chapter: { text: 'word '.repeat(3000), format: 'plain' },
    });
    members = await create('author', { title: 'Harbour Secrets', fandoms: ['Sea Stories'], restricted: true });
    draft = await create('author', { title: 'Harbour Draft', fandoms: ['Sea Stories'], draft: true });
  });
  after(() => t.close());

  it("searches with the page's filters and query language, as the caller may see", async () => {
    const ids = async (query: string, token?: string) => {
      const r = await get(`/api/v1/works/search?${query}`, token);
      assert.equal(r.statusCode, 200, r.body.slice(0, 300));
      return (json(r).works as Json[]).map((w) => w.id).sort((a, b) => a - b);
    };
    const reader = (await account('reader')).token;
    assert.deepEqual(await ids('q=harbour'), [open, crossover]);
    assert.deepEqual(await ids('q=harbour', reader), [open, crossover, members], 'restricted works with a token');
    assert.deepEqual(
      await ids('q=harbour', (await account('author')).token),
      [open, crossover, members],
      'drafts never, even to their creator',
    );
    assert.deepEqual(await ids('fandoms=Sea%20Stories&crossover=exclude'), [open]);
    assert.deepEqual(await ids('fandoms=Sea%20Stories&crossover=only'), [crossover]);
    assert.deepEqual(await ids('fandoms=Sea%20Stories&exclude_freeforms=Angst'), [open]);
    assert.deepEqual(await ids('ratings=Teen%20And%20Up%20Audiences'), [open]);
    assert.deepEqual(await ids('words_from=1000'), [crossover]);
    assert.deepEqual(await ids('q=character%3AMara'), [open]);
    assert.deepEqual(await ids('q=harbour%20-angst'), [open]);
    assert.deepEqual(await ids('q=draft'), []);

    const body = json(await get('/api/v1/works/search?fandoms=Sea%20Stories&sort=title&direction=asc'));
    assert.equal(body.total, 2);
    assert.deepEqual(
      body.works.map((w: Json) => w.title),
      ['Harbour Crossing', 'Harbour Lights'],
    );
    const fandoms = body.facets.filter((f: Json) => f.type === 'fandom');
    assert.deepEqual(fandoms.find((f: Json) => f.name === 'Sea Stories')?.works, 2);
    assert.deepEqual(fandoms.find((f: Json) => f.name === 'Sky Stories')?.works, 1);
    assert.match(json(await get('/api/v1/works/search?fandoms=No%20Such%20Fandom')).notices[0], /No Such Fandom/);

    const bad = await get('/api/v1/works/search?posted_from=2024-02-31&sort=sideways');
    assert.equal(bad.statusCode, 422);
    assert.ok(json(bad).error.fields.posted_from);
    assert.ok(json(bad).error.fields.sort);
    const badQuery = await get('/api/v1/works/search?q=(harbour');
    assert.equal(badQuery.statusCode, 422);
    assert.ok(json(badQuery).error.fields.q);
    assert.equal((await get('/api/v1/works/search?q=harbour', await revokedToken('reader'))).statusCode, 401);
  });

  it('shows a series with only the works the caller may read', async () => {
    const owner = await account('author');
    const series = await t.db
      .insertInto('series')
      .values({ title: 'Harbour Cycle', updated_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db.insertInto('series_creators').values({ series_id: series.id, user_id: owner.id }).execute();
    await t.db
      .insertInto('series_works')
      .values([open, members, draft].map((work_id, i) => ({ series_id: series.id, work_id, position: i + 1 })))
      .execute();
    const guest = json(await get(`/api/v1/series/${series.id}`));
    assert.equal(guest.series.title, 'Harbour Cycle');
    assert.deepEqual(guest.series.creators, [{ login: 'author' }]);
    assert.deepEqual(
      guest.works.map((w: Json) => w.id),
      [open],
    );
    assert.deepEqual(
      json(await get(`/api/v1/series/${series.id}`, (await account('reader')).token)).works.map((w: Json) => w.id),
      [open, members],
    );

    const hidden = await t.db
      .insertInto('series')
      .values({ title: 'Members Cycle', updated_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db.insertInto('series_creators').values({ series_id: hidden.id, user_id: owner.id }).execute();
    await t.db.insertInto('series_works').values({ series_id: hidden.id, work_id: members, position: 1 }).execute();
    assert.equal(
      (await get(`/api/v1/series/${hidden.id}`)).statusCode,
      404,
      'a series with nothing a guest may read is not there for guests',
    );
    assert.equal((await get(`/api/v1/series/${hidden.id}`, (await account('reader')).token)).statusCode, 200);
    assert.equal((await get('/api/v1/series/abc')).statusCode, 404);
    assert.equal((await get(`/api/v1/series/${series.id}`, await revokedToken('author'))).statusCode, 401);
  });

  it('bookmarks with a token and lists public bookmarks, or all of them for the owner', async () => {
    const fan = await account('fan');
    const saved = await post(
      `/api/v1/works/${open}/bookmarks`,
      { notes: 'Lovely <script>x</script>', tags: ['cosy', 'sea'], rec: true },
      fan.token,
    );
    assert.equal(saved.statusCode, 201, saved.body);
    assert.deepEqual(json(saved).bookmark.tags, ['cosy', 'sea']);
    assert.doesNotMatch(json(saved).bookmark.notes_html, /script/);
    assert.equal((await post(`/api/v1/works/${open}/bookmarks`, { notes: 'Still lovely.' }, fan.token)).statusCode, 200);
    assert.equal((await post(`/api/v1/works/${crossover}/bookmarks`, { private: true }, fan.token)).statusCode, 201);
    assert.equal((await post(`/api/v1/works/${members}/bookmarks`, {}, fan.token)).statusCode, 201);
    const work = await t.db.selectFrom('works').select('bookmarks_count').where('id', '=', open).executeTakeFirstOrThrow();
    assert.equal(work.bookmarks_count, 1);

    const list = async (token?: string) =>
      (json(await get('/api/v1/users/fan/bookmarks', token)).bookmarks as Json[]).map((b) => b.work_id).sort((a, b) => a - b);
    assert.deepEqual(await list(), [open], 'guests: public bookmarks of works guests may read');
    assert.deepEqual(await list((await account('reader')).token), [open, members], 'others: public ones only');
    assert.deepEqual(await list(fan.token), [open, crossover, members], 'the owner: private ones too');

    assert.equal((await post(`/api/v1/works/${draft}/bookmarks`, {}, fan.token)).statusCode, 404, "someone else's draft is not there");
    const ownDraft = await post(`/api/v1/works/${draft}/bookmarks`, {}, (await account('author')).token);
    assert.equal(ownDraft.statusCode, 422);
    const bad = await post(`/api/v1/works/${open}/bookmarks`, { tags: 'cosy', private: 'yes', extra: 1 }, fan.token);
    assert.equal(bad.statusCode, 422);
    assert.deepEqual(Object.keys(json(bad).error.fields).sort(), ['extra', 'private', 'tags']);
    const tooLong = await post(`/api/v1/works/${open}/bookmarks`, { notes: 'x'.repeat(5001) }, fan.token);
    assert.equal(tooLong.statusCode, 422);
    assert.ok(json(tooLong).error.fields.notes);
    assert.equal((await post(`/api/v1/works/${open}/bookmarks`, {})).statusCode, 401);
    assert.equal((await post(`/api/v1/works/${open}/bookmarks`, {}, await revokedToken('fan'))).statusCode, 401);
    assert.equal((await get('/api/v1/users/nobody/bookmarks')).statusCode, 404);
    assert.equal((await get('/api/v1/users/fan/bookmarks?page=x')).statusCode, 400);
  });

  it('lists comments as threads, with what each caller may see', async () => {
    const author = await account('author');
    const fan = await account('fan');
    const first = json(await post(`/api/v1/works/${open}/comments`, { comment: 'First!' }, fan.token)).comment;
    assert.equal(first.approved, true);
    const reply = await post(`/api/v1/works/${open}/comments`, { comment: 'Thank you.', parent_id: first.id }, author.token);
    assert.equal(reply.statusCode, 201);
    const { id: chapterId } = await t.db.selectFrom('chapters').select('id').where('work_id', '=', open).executeTakeFirstOrThrow();
    const onParagraph = await post(
      `/api/v1/works/${open}/comments`,
      { comment: 'This line!', chapter_id: chapterId, paragraph: 2 },
      fan.token,
    );
    assert.equal(onParagraph.statusCode, 201);
    assert.equal(
      json(onParagraph).comment.url,
      `http://archive.test/comments/${json(onParagraph).comment.id}`,
      'the permalink, which finds its page',
    );

    await t.db.updateTable('works').set({ comments_moderated: true }).where('id', '=', open).execute();
    const pending = json(
      await post(`/api/v1/works/${open}/comments`, { comment: 'Awaiting approval.' }, (await account('reader')).token),
    ).comment;
    assert.equal(pending.approved, false);

    const thread = async (token?: string) => json(await get(`/api/v1/works/${open}/comments`, token)).comments as Json[];
    const guest = await thread();
    assert.deepEqual(
      guest.map((c) => c.body_html),
      ['<p>First!</p>', '<p>This line!</p>'],
    );
    assert.equal(guest[0]!.replies[0].body_html, '<p>Thank you.</p>');
    assert.equal(guest[0]!.replies[0].login, 'author');
    assert.equal(guest[1]!.paragraph, 2);
    assert.equal((await thread(author.token)).length, 3, 'the creator sees the pending comment');
    assert.equal((await thread((await account('reader')).token)).find((c) => c.id === pending.id)?.pending, true, 'its author sees it');
    assert.equal((await thread(fan.token)).length, 2);

    await t.db.updateTable('comments').set({ is_hidden: true }).where('id', '=', first.id).execute();
    const placeholder = (await thread())[0]!;
    assert.equal(placeholder.state, 'hidden');
    assert.equal(placeholder.body_html, '');
    assert.equal(placeholder.author, null);
    assert.equal(placeholder.replies.length, 1);

    assert.equal((await get(`/api/v1/works/${members}/comments`)).statusCode, 401);
    assert.equal((await get(`/api/v1/works/${members}/comments`, fan.token)).statusCode, 200);
    assert.equal((await get(`/api/v1/works/${draft}/comments`, fan.token)).statusCode, 404);
    assert.equal((await get(`/api/v1/works/${draft}/comments`, author.token)).statusCode, 200);
  });

  it('posts comments only under every comment rule', async () => {
    const author = await account('author');
    const critic = await account('critic');
    const count = async () =>
      Number(
        (
          await t.db
            .selectFrom('comments')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const refused = async (workId: number, body: Json, token: string | undefined, status: number, pattern?: RegExp) => {
      const r = await post(`/api/v1/works/${workId}/comments`, body, token);
      assert.equal(r.statusCode, status, r.body.slice(0, 300));
      if (pattern) assert.match(JSON.stringify(json(r).error), pattern);
      return r;
    };
    await refused(crossover, { comment: 'As a guest.' }, undefined, 401);
    await refused(crossover, { comment: 'Revoked.' }, await revokedToken('critic'), 401);
    await refused(draft, { comment: 'On a draft.' }, critic.token, 404);
    await refused(draft, { comment: 'My own draft.' }, author.token, 422, /Drafts cannot be commented on/);
    const empty = await refused(crossover, { comment: '  ' }, critic.token, 422);
    assert.ok(json(empty).error.fields.comment);
    await refused(crossover, { comment: '<script></script>' }, critic.token, 422, /nothing was left/);
    await refused(crossover, { comment: 'x'.repeat(10_001) }, critic.token, 422, /at most 10,000/);
    await refused(crossover, { comment: 'x', parent_id: '1', colour: 'red' }, critic.token, 422, /colour/);
    await refused(crossover, { comment: 'x', chapter_id: 999999 }, critic.token, 404, /no such chapter/);
    const { id: chapterId } = await t.db.selectFrom('chapters').select('id').where('work_id', '=', crossover).executeTakeFirstOrThrow();
    await refused(crossover, { comment: 'x', chapter_id: chapterId, paragraph: 99 }, critic.token, 404, /there is no paragraph 99/);

    const parent = json(await post(`/api/v1/works/${crossover}/comments`, { comment: 'A thread.' }, author.token)).comment;
    await t.db.updateTable('comments').set({ is_frozen: true }).where('id', '=', parent.id).execute();
    await refused(crossover, { comment: 'Reply.', parent_id: parent.id }, critic.token, 403, /frozen/);
    await t.db.insertInto('blocks').values({ user_id: author.id, blocked_user_id: critic.id }).execute();
    await refused(crossover, { comment: 'Blocked.' }, critic.token, 403, /blocked you/);
    assert.equal(await count(), before + 1, "only the author's own comment was written");

    // The comment limit of the pages (10 per account in ten minutes) holds here too.
    const chatty = await account('chatty');
    for (let i = 0; i < 10; i += 1)
      assert.equal((await post(`/api/v1/works/${open}/comments`, { comment: `Note ${i}` }, chatty.token)).statusCode, 201);
    const limited = await refused(open, { comment: 'One too many.' }, chatty.token, 429);
    assert.ok(Number(limited.headers['retry-after']) > 0);
  });

  it("rate limits each token on its own, and an account's tokens together under a ceiling", async () => {
    const busy = await account('busy');
    const second = /ff_[A-Za-z0-9_-]{43}/.exec((await busy.visitor.post('/users/busy/api_tokens', { name: 'second' })).body)![0];
    const third = /ff_[A-Za-z0-9_-]{43}/.exec((await busy.visitor.post('/users/busy/api_tokens', { name: 'third' })).body)![0];
    const write = (token: string) => post('/api/v1/works', {}, token);
    for (let i = 0; i < WRITES_PER_MINUTE; i += 1) assert.equal((await write(busy.token)).statusCode, 422);
    assert.equal((await write(busy.token)).statusCode, 429, 'the first token is spent');
    // The second token has its own bucket; the account's ceiling is ACCOUNT_CEILING_FACTOR buckets.
    for (let i = 0; i < WRITES_PER_MINUTE * (ACCOUNT_CEILING_FACTOR - 1); i += 1) assert.equal((await write(second)).statusCode, 422);
    const ceiling = await write(third);
    assert.equal(ceiling.statusCode, 429, 'a fresh token of the same account is over the account ceiling');
    assert.match(json(ceiling).error.message, /tokens together; retry in \d+ seconds/);
    assert.ok(Number(ceiling.headers['retry-after']) > 0);
    // Other accounts and reads are not affected.
    assert.equal((await write((await account('calm')).token)).statusCode, 422);
    assert.equal((await get('/api/v1/works', third)).statusCode, 200);
    assert.ok(READS_PER_MINUTE * ACCOUNT_CEILING_FACTOR > READS_PER_MINUTE);
  });
});

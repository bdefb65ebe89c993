import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { workIdOf } from '../../test/staff.ts';
import { hashToken, newToken } from '../lib/tokens.ts';
import { READS_PER_MINUTE, WRITES_PER_MINUTE } from './api.schema.ts';
import { ANONYMITY_OPERATION_IDS } from './api-collections-anonymity.openapi.ts';
import type { OpenApiDocument } from './openapi.ts';
import { DocumentedCaller } from './openapi.test-helpers.ts';

// The reveal through the API (decision 043): each answer checked against the OpenAPI document,
// and every documented status produced.
describe('API: revealing an anonymous or unrevealed collection, and bookmarks in collections', () => {
  let t: TestApp;
  let api: DocumentedCaller;
  const tokens: Record<string, string> = {};
  const bearer = (token: string): Partial<InjectOptions> => ({ headers: { authorization: `Bearer ${token}` } });
  const reveal = (name: string, options: Partial<InjectOptions> = {}) =>
    api.call('revealCollection', { url: `/api/v1/collections/${name}/reveal`, ...options });

  const json = (body: unknown, token: string | null, type = 'application/json'): Partial<InjectOptions> => ({
    headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
  let bookmarkId = 0;
  let readerVisitor: TestVisitor;

  /** An app's token for `login` holding only "read", as the consent page stores it. */
  async function readOnlyToken(login: string): Promise<string> {
    const user = await t.db.selectFrom('users').select('id').where('login', '=', login).executeTakeFirstOrThrow();
    const app = await t.db
      .insertInto('oauth_apps')
      .values({
        client_id: `ffc_${newToken().slice(0, 20)}`,
        owner_user_id: user.id,
        name: 'Read app',
        redirect_uri: 'https://app.example/cb',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const token = `ffa_${newToken()}`;
    await t.db
      .insertInto('oauth_tokens')
      .values({
        access_token_hash: hashToken(token),
        access_expires_at: new Date(Date.now() + 3600_000),
        refresh_token_hash: hashToken(`ffr_${newToken()}`),
        refresh_expires_at: new Date(Date.now() + 86400_000),
        app_id: app.id,
        user_id: user.id,
        scopes: ['read'],
      })
      .execute();
    return token;
  }

  before(async () => {
    t = await createTestApp();
    api = new DocumentedCaller(t.app, (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as OpenApiDocument);
    for (const who of ['keeper', 'stranger', 'reader']) {
      const visitor = await new TestVisitor(t.app).signUp(`reveal_${who}`);
      if (who === 'keeper') {
        assert.equal((await visitor.post('/collections', { name: 'api_masked', title: 'API Masked', anonymous: '1' })).statusCode, 303);
      }
      if (who === 'reader') readerVisitor = visitor;
      const page = await visitor.post(`/users/reveal_${who}/api_tokens`, { name: 'tests' });
      tokens[who] = /ff_[A-Za-z0-9_-]{43}/.exec(page.body)![0];
    }
    const keeper = new TestVisitor(t.app);
    await keeper.post('/login', { login: 'reveal_keeper', password: 'correct horse battery' });
    assert.equal((await keeper.post('/collections', { name: 'api_recs', title: 'API Recs', moderated: '1' })).statusCode, 303);
    const writer = await new TestVisitor(t.app).signUp('reveal_writer');
    const workId = workIdOf((await writer.post('/works', buildWorkForm({ title: 'Shared Shore' }))).headers.location);
    assert.equal((await readerVisitor.post(`/works/${workId}/bookmarks`, { notes: 'Lovely', tags: '' })).statusCode, 303);
    bookmarkId = (await t.db.selectFrom('bookmarks').select('id').where('work_id', '=', workId).executeTakeFirstOrThrow()).id;
  });
  after(() => t.close());

  it('reveals for a maintainer only, once, audited', async () => {
    assert.equal((await reveal('api_masked')).statusCode, 401);
    const refused = await reveal('api_masked', bearer(tokens.stranger!));
    assert.equal(refused.statusCode, 403);
    assert.match(refused.json().error.message, /Only the owners and moderators/);
    assert.equal((await reveal('no_such_collection', bearer(tokens.keeper!))).statusCode, 404);
    const done = await reveal('API_MASKED', bearer(tokens.keeper!));
    assert.equal(done.statusCode, 200);
    assert.deepEqual(done.json().collection.anonymous, false);
    const row = await t.db.selectFrom('collections').select(['is_anonymous']).where('name', '=', 'api_masked').executeTakeFirstOrThrow();
    assert.equal(row.is_anonymous, false);
    const audit = await t.db.selectFrom('audit_log').select('action').where('action', '=', 'collection.reveal').execute();
    assert.equal(audit.length, 1);
    const again = await reveal('api_masked', bearer(tokens.keeper!));
    assert.equal(again.statusCode, 409);
    assert.match(again.json().error.message, /nothing to reveal/);
  });

  it('adds a bookmark to a moderated collection, which its maintainer approves; its owner removes it', async () => {
    const reader = tokens.reader!;
    const keeper = tokens.keeper!;
    const stranger = tokens.stranger!;
    const base = '/api/v1/collections/api_recs/bookmarks';
    const add = (body: unknown, token: string | null, type?: string) =>
      api.call('addCollectionBookmark', { url: base, ...json(body, token, type) });
    assert.equal((await add({ bookmark_id: bookmarkId }, null)).statusCode, 401);
    assert.equal((await add({ bookmark_id: bookmarkId }, await readOnlyToken('reveal_reader'))).statusCode, 403);
    assert.equal((await add('{', reader)).statusCode, 400);
    assert.equal((await add('bookmark', reader, 'text/plain')).statusCode, 415);
    const notOwn = await add({ bookmark_id: bookmarkId }, stranger);
    assert.equal(notOwn.statusCode, 422);
    assert.match(notOwn.json().error.fields.bookmark_id, /only your own bookmarks/);
    assert.equal(
      (await api.call('addCollectionBookmark', { url: '/api/v1/collections/no_recs/bookmarks', ...json({ bookmark_id: 1 }, reader) }))
        .statusCode,
      404,
    );
    const added = await add({ bookmark_id: bookmarkId }, reader);
    assert.equal(added.statusCode, 201);
    assert.equal(added.json().collection_bookmark.status, 'pending');
    const list = (token: string | null) =>
      api.call('listCollectionBookmarks', { url: base, ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}) });
    assert.deepEqual((await list(null)).json().bookmarks, []);
    const queued = (await list(keeper)).json().bookmarks;
    assert.equal(queued.length, 1);
    assert.equal(queued[0].pending, true);
    assert.equal((await list('ff_not_a_token_at_all_aaaaaaaaaaaaaaaaaaaaaaaaaaaa')).statusCode, 401);
    assert.equal((await api.call('listCollectionBookmarks', { url: '/api/v1/collections/no_recs/bookmarks' })).statusCode, 404);
    const id = queued[0].id as number;
    const decide = (body: unknown, token: string | null, type?: string, target = id) =>
      api.call('decideCollectionBookmark', { url: `/api/v1/collection_bookmarks/${target}/decision`, ...json(body, token, type) });
    assert.equal((await decide({ decision: 'approve' }, null)).statusCode, 401);
    assert.equal((await decide({ decision: 'approve' }, stranger)).statusCode, 403);
    assert.equal((await decide('{', keeper)).statusCode, 400);
    assert.equal((await decide('approve', keeper, 'text/plain')).statusCode, 415);
    assert.equal((await decide({ decision: 'maybe' }, keeper)).statusCode, 422);
    assert.equal((await decide({ decision: 'approve' }, keeper, undefined, 999999)).statusCode, 404);
    assert.equal((await decide({ decision: 'approve' }, keeper)).statusCode, 200);
    assert.equal((await decide({ decision: 'approve' }, keeper)).statusCode, 409);
    const shown = (await list(null)).json().bookmarks;
    assert.equal(shown[0].title, 'Shared Shore');
    assert.equal(shown[0].owner, 'reveal_reader');
    const remove = (token: string | null, target = id) =>
      api.call('removeCollectionBookmark', {
        url: `/api/v1/collection_bookmarks/${target}`,
        ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
      });
    assert.equal((await remove(null)).statusCode, 401);
    assert.equal((await remove(stranger)).statusCode, 403);
    assert.equal((await remove(reader)).statusCode, 204);
    assert.equal((await remove(reader)).statusCode, 404);
  });

  it('a maintainer invites a bookmark; its owner finds the invitation in their list and accepts it', async () => {
    const reader = tokens.reader!;
    const keeper = tokens.keeper!;
    const base = '/api/v1/collections/api_recs/bookmark_invitations';
    const invite = (body: unknown, token: string | null, type?: string, url = base) =>
      api.call('inviteCollectionBookmark', { url, ...json(body, token, type) });
    assert.equal((await invite({ bookmark_id: bookmarkId }, null)).statusCode, 401);
    assert.equal((await invite({ bookmark_id: bookmarkId }, await readOnlyToken('reveal_keeper'))).statusCode, 403);
    const stranger = await invite({ bookmark_id: bookmarkId }, tokens.stranger!);
    assert.equal(stranger.statusCode, 403);
    assert.match(stranger.json().error.message, /Only the owners and moderators of this collection invite bookmarks/);
    assert.equal(
      (await invite({ bookmark_id: bookmarkId }, keeper, undefined, '/api/v1/collections/no_recs/bookmark_invitations')).statusCode,
      404,
    );
    assert.equal((await invite('{', keeper)).statusCode, 400);
    assert.equal((await invite('bookmark', keeper, 'text/plain')).statusCode, 415);
    assert.equal((await invite({}, keeper)).statusCode, 422);
    const missing = await invite({ bookmark_id: 999999 }, keeper);
    assert.equal(missing.statusCode, 422);
    assert.match(missing.json().error.fields.bookmark_id, /There is no public bookmark 999999/);

    const sent = await invite({ bookmark_id: bookmarkId }, keeper);
    assert.equal(sent.statusCode, 201);
    assert.deepEqual(
      { ...sent.json().collection_bookmark, id: 0 },
      { id: 0, collection: 'api_recs', bookmark_id: bookmarkId, owner: 'reveal_reader', status: 'invited' },
    );
    const own = (token: string | null) =>
      api.call('listOwnCollectionBookmarks', {
        url: '/api/v1/me/collection_bookmarks',
        ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
      });
    assert.equal((await own(null)).statusCode, 401);
    const mine = (await own(reader)).json().bookmarks;
    assert.equal(mine.length, 1);
    assert.deepEqual(
      [mine[0].collection, mine[0].title, mine[0].collection_approval, mine[0].owner_approval],
      ['api_recs', 'Shared Shore', 'approved', 'pending'],
    );
    const queued = await api.call('listCollectionBookmarks', {
      url: '/api/v1/collections/api_recs/bookmarks',
      headers: { authorization: `Bearer ${keeper}` },
    });
    assert.deepEqual(
      queued.json().bookmarks.map((b: { invited: boolean; pending: boolean }) => [b.invited, b.pending]),
      [[true, false]],
    );
    const accepted = await api.call('decideCollectionBookmark', {
      url: `/api/v1/collection_bookmarks/${mine[0].id}/decision`,
      ...json({ decision: 'approve' }, reader),
    });
    assert.equal(accepted.statusCode, 200);
    const shown = (await api.call('listCollectionBookmarks', { url: '/api/v1/collections/api_recs/bookmarks' })).json().bookmarks;
    assert.deepEqual(
      shown.map((b: { owner: string; invited: boolean }) => [b.owner, b.invited]),
      [['reveal_reader', false]],
    );
  });

  it('rate limits every operation with a documented 429, and produced every documented status', async () => {
    for (const id of ANONYMITY_OPERATION_IDS) {
      const { method, path } = api.operations.get(id)!;
      const url = path.replace('{name}', 'api_masked').replace('{id}', '999999');
      const request: InjectOptions = {
        method: method.toUpperCase() as 'GET',
        url,
        remoteAddress: `10.9.8.${ANONYMITY_OPERATION_IDS.indexOf(id)}`,
      };
      const max = method === 'get' ? READS_PER_MINUTE : WRITES_PER_MINUTE;
      for (let i = 0; i < max; i += 1) await t.app.inject(request);
      const limited = await api.call(id, request);
      assert.equal(limited.statusCode, 429, id);
    }
    assert.deepEqual(api.unseen(ANONYMITY_OPERATION_IDS), []);
  });
});

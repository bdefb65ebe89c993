import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { hashToken, newToken } from '../lib/tokens.ts';
import { READS_PER_MINUTE, WRITES_PER_MINUTE } from './api.schema.ts';
import { COLLECTION_OPERATION_IDS } from './api-collections.openapi.ts';
import { CREATE_WORK_EXAMPLE, type OpenApiDocument } from './openapi.ts';
import { DocumentedCaller } from './openapi.test-helpers.ts';
import { jsonRequest, withToken, signUpWithToken } from './api-tokens.test-helpers.ts';

// Collections and news-post comments through the API (api-collections.routes.ts): a collection's
// life through its owner, a moderator, a creator and a stranger, each answer checked against the
// OpenAPI document, then the answers every operation shares, and every documented status produced.

describe('API operations of collections and news comments', () => {
  let t: TestApp;
  let api: DocumentedCaller;
  const tokens: Record<string, string> = {};

  const call = (operationId: string, url: string, options: Partial<InjectOptions> = {}) => api.call(operationId, { url, ...options });
  const status = async (operationId: string, url: string, options: Partial<InjectOptions> = {}) =>
    (await call(operationId, url, options)).statusCode;

  const personalToken = async (login: string) => (await signUpWithToken(t, login)).token;
  const idOfUser = async (login: string) =>
    (await t.db.selectFrom('users').select('id').where('login', '=', login).executeTakeFirstOrThrow()).id;

  /** An app's access token for `login` holding only `scopes`, as the consent page stores it. */
  async function appToken(login: string, scopes: string[]): Promise<string> {
    const app = await t.db
      .insertInto('oauth_apps')
      .values({
        client_id: `ffc_${newToken().slice(0, 20)}`,
        owner_user_id: await idOfUser(login),
        name: 'Test app',
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
        user_id: await idOfUser(login),
        scopes,
      })
      .execute();
    return token;
  }

  before(async () => {
    t = await createTestApp();
    api = new DocumentedCaller(t.app, (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as OpenApiDocument);
    for (const who of ['owner', 'moderator', 'creator', 'stranger']) tokens[who] = await personalToken(`col_${who}`);
  });
  after(() => t.close());

  it('runs a collection through its owner, a moderator, a creator and a stranger', async () => {
    const [owner, moderator, creator, stranger] = ['owner', 'moderator', 'creator', 'stranger'].map((who) => tokens[who]!) as [
      string,
      string,
      string,
      string,
    ];
    const base = '/api/v1/collections';

    // Create: the form's schema and the service's rules.
    const created = await call(
      'createCollection',
      base,
      jsonRequest({ name: 'api_fest', title: 'API Fest', description: '<p>Hi<script>x</script></p>', moderated: true }, owner),
    );
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.headers.location, 'http://archive.test/api/v1/collections/api_fest');
    const collection = created.json().collection;
    assert.equal(collection.description_html.includes('<script'), false, 'sanitized as on the form');
    assert.deepEqual(collection.owners, ['col_owner']);
    assert.deepEqual(collection.you, { owner: true, maintainer: true, can_add: true });
    const taken = await call('createCollection', base, jsonRequest({ name: 'API_FEST', title: 'Again' }, stranger));
    assert.equal(taken.statusCode, 422);
    assert.match(taken.json().errors.name, /taken/);
    assert.match((await call('createCollection', base, jsonRequest({ name: 'a b', title: 'x' }, stranger))).json().errors.name, /letters/);
    assert.equal(await status('createCollection', base, jsonRequest({ name: 'x', title: 'x', closed: 'yes' }, stranger)), 422);

    // Read: public; what the caller may do depends on the token.
    const guest = await call('getCollection', `${base}/api_fest`);
    assert.equal(guest.statusCode, 200);
    assert.deepEqual(guest.json().collection.you, { owner: false, maintainer: false, can_add: false });
    assert.equal(await status('getCollection', `${base}/no_such_thing`), 404);
    assert.equal(await status('getCollection', `${base}/api_fest`, withToken('ff_unknown')), 401);

    // Settings: owners only, checked before the body.
    const changed = await call('updateCollection', `${base}/api_fest`, jsonRequest({ title: 'API Fest 2026', moderated: true }, owner));
    assert.equal(changed.json().collection.title, 'API Fest 2026');
    assert.equal(changed.json().collection.description_html, '', 'PUT sends every setting');
    assert.equal(await status('updateCollection', `${base}/api_fest`, jsonRequest({ title: 'Mine now' }, stranger)), 403);
    assert.equal(await status('updateCollection', `${base}/nope_nope`, jsonRequest({ title: 'x' }, owner)), 404);
    assert.equal(await status('updateCollection', `${base}/api_fest`, jsonRequest({ title: '   ' }, owner)), 422);
    assert.equal(await status('updateCollection', `${base}/api_fest`, jsonRequest({ title: 'x', parent: 'no_parent' }, owner)), 422);

    // Maintainers.
    const added = await call('addCollectionMaintainer', `${base}/api_fest/maintainers`, jsonRequest({ login: 'col_moderator' }, owner));
    assert.deepEqual(added.json().collection.moderators, ['col_moderator']);
    assert.equal(
      await status('addCollectionMaintainer', `${base}/api_fest/maintainers`, jsonRequest({ login: 'nobody_at_all' }, owner)),
      422,
    );
    assert.equal(
      await status('addCollectionMaintainer', `${base}/api_fest/maintainers`, jsonRequest({ login: 'col_stranger' }, stranger)),
      403,
    );
    assert.equal(
      await status('addCollectionMaintainer', `${base}/nope_nope/maintainers`, jsonRequest({ login: 'col_stranger' }, owner)),
      404,
    );
    assert.equal(
      await status(
        'addCollectionMaintainer',
        `${base}/api_fest/maintainers`,
        jsonRequest({ login: 'col_owner', role: 'moderator' }, owner),
      ),
      422,
      'the only owner cannot step down to moderator',
    );

    // A creator submits a work to the moderated collection; a maintainer approves it.
    const work = await t.app.inject({
      method: 'POST',
      url: '/api/v1/works',
      ...jsonRequest({ ...CREATE_WORK_EXAMPLE, title: 'Fest Entry' }, creator),
    });
    const workId = work.json().work.id as number;
    const submitted = await call('addCollectionItem', `${base}/api_fest/items`, jsonRequest({ work_id: workId }, creator));
    assert.equal(submitted.statusCode, 201, submitted.body);
    const item = submitted.json().item;
    assert.equal(item.outcome, 'awaiting-collection');
    assert.equal(
      await status('addCollectionItem', `${base}/api_fest/items`, jsonRequest({ work_id: workId }, creator)),
      422,
      'already waiting',
    );
    assert.equal(await status('addCollectionItem', `${base}/nope_nope/items`, jsonRequest({ work_id: workId }, creator)), 404);
    assert.equal(
      await status('addCollectionItem', `${base}/api_fest/items`, jsonRequest({ work_id: workId }, stranger)),
      422,
      'not theirs',
    );
    assert.deepEqual(
      (await call('listMyCollectionItems', '/api/v1/me/collection_items', withToken(creator)))
        .json()
        .items.map((i: { id: number }) => i.id),
      [item.id],
    );

    const queue = await call('listCollectionQueue', `${base}/api_fest/queue`, withToken(moderator));
    assert.deepEqual(
      queue.json().items.map((i: { id: number; work_title: string }) => [i.id, i.work_title]),
      [[item.id, 'Fest Entry']],
    );
    assert.equal(await status('listCollectionQueue', `${base}/api_fest/queue`, withToken(stranger)), 403);
    assert.equal(await status('listCollectionQueue', `${base}/nope_nope/queue`, withToken(owner)), 404);
    assert.equal((await call('listCollectionWorks', `${base}/api_fest/works`)).json().total, 0, 'not in it before the approval');

    const decision = (id: number) => `/api/v1/collection_items/${id}/decision`;
    assert.equal(await status('decideCollectionItem', decision(item.id), jsonRequest({ decision: 'approve' }, stranger)), 403);
    assert.equal(await status('decideCollectionItem', decision(999999), jsonRequest({ decision: 'approve' }, moderator)), 404);
    assert.equal(await status('decideCollectionItem', decision(item.id), jsonRequest({ decision: 'maybe' }, moderator)), 422);
    assert.equal(await status('decideCollectionItem', decision(item.id), jsonRequest({ decision: 'approve' }, moderator)), 200);
    assert.equal(await status('decideCollectionItem', decision(item.id), jsonRequest({ decision: 'approve' }, moderator)), 409);

    const works = await call('listCollectionWorks', `${base}/api_fest/works`);
    assert.deepEqual(
      works.json().works.map((w: { id: number; title: string }) => [w.id, w.title]),
      [[workId, 'Fest Entry']],
    );
    assert.equal(await status('listCollectionWorks', `${base}/nope_nope/works`), 404);
    assert.equal(await status('listCollectionWorks', `${base}/api_fest/works?cursor=bogus`), 422);
    assert.equal(await status('listCollectionWorks', `${base}/api_fest/works`, withToken('ff_unknown')), 401);
    const page = await t.app.inject({ method: 'GET', url: `/works/${workId}` });
    assert.match(page.body, /API Fest 2026/, 'the work page names its collection');

    // Taking it out, stepping down, deleting.
    assert.equal(await status('removeCollectionItem', `/api/v1/collection_items/${item.id}`, withToken(stranger)), 403);
    assert.equal(await status('removeCollectionItem', `/api/v1/collection_items/${item.id}`, withToken(creator)), 204);
    assert.equal(await status('removeCollectionItem', `/api/v1/collection_items/${item.id}`, withToken(creator)), 404);
    assert.equal(await status('removeCollectionMaintainer', `${base}/api_fest/maintainers/col_owner`, withToken(stranger)), 403);
    assert.equal(await status('removeCollectionMaintainer', `${base}/api_fest/maintainers/col_owner`, withToken(owner)), 422, 'last owner');
    assert.equal(await status('removeCollectionMaintainer', `${base}/api_fest/maintainers/col_stranger`, withToken(owner)), 422);
    assert.equal(await status('removeCollectionMaintainer', `${base}/nope_nope/maintainers/col_owner`, withToken(owner)), 404);
    assert.equal(await status('removeCollectionMaintainer', `${base}/api_fest/maintainers/col_moderator`, withToken(moderator)), 204);
    assert.equal(await status('deleteCollection', `${base}/api_fest`, withToken(stranger)), 403);
    assert.equal(await status('deleteCollection', `${base}/api_fest`, withToken(owner)), 204);
    assert.equal(await status('deleteCollection', `${base}/api_fest`, withToken(owner)), 404);
    assert.equal(await status('getCollection', `${base}/api_fest`), 404);
  });

  it('lists and posts comments on a news post, as its page does', async () => {
    const post = await t.db
      .insertInto('admin_posts')
      .values({ author_id: await idOfUser('col_owner'), title: 'News', body_html: '<p>News</p>' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const url = `/api/v1/news/${post.id}/comments`;
    const posted = await call('createNewsComment', url, jsonRequest({ comment: '  <b>Thanks!</b> ' }, tokens.stranger!));
    assert.equal(posted.statusCode, 201, posted.body);
    assert.equal(posted.json().comment.url, `http://archive.test/admin_posts/${post.id}#comment-${posted.json().comment.id}`);
    const listed = await call('listNewsComments', url);
    assert.deepEqual(
      listed.json().comments.map((c: { login: string; body: string }) => [c.login, c.body]),
      [['col_stranger', '<b>Thanks!</b>']],
    );
    const page = await t.app.inject({ method: 'GET', url: `/admin_posts/${post.id}` });
    assert.match(page.body, /&lt;b>Thanks!&lt;\/b>/, 'the page shows it, escaped');
    assert.equal(await status('createNewsComment', url, jsonRequest({ comment: '   ' }, tokens.stranger!)), 422);
    assert.equal(await status('createNewsComment', '/api/v1/news/999999/comments', jsonRequest({ comment: 'Hi' }, tokens.stranger!)), 404);
    assert.equal(await status('listNewsComments', '/api/v1/news/999999/comments'), 404);
    assert.equal(await status('listNewsComments', url, withToken('ff_unknown')), 401);
  });

  it('keeps an account whose address is not confirmed from posting through a token it made before', async () => {
    const token = await personalToken('col_unverified');
    const post = await t.db
      .insertInto('admin_posts')
      .values({ author_id: null, title: 'More news', body_html: '<p>More</p>' })
      .returning('id')
      .executeTakeFirstOrThrow();
    t.app.siteSettings.emailVerification = true;
    try {
      const comment = await call('createNewsComment', `/api/v1/news/${post.id}/comments`, jsonRequest({ comment: 'Me too' }, token));
      assert.equal(comment.statusCode, 403);
      assert.match(comment.json().detail, /Confirm your email address/);
      const work = await t.app.inject({ method: 'POST', url: '/api/v1/works', ...jsonRequest(CREATE_WORK_EXAMPLE, token) });
      assert.equal(work.statusCode, 403);
      assert.equal((await t.db.selectFrom('works').select('id').where('title', '=', CREATE_WORK_EXAMPLE.title).execute()).length, 0);
      // Reading, and what is not posting, still work.
      assert.equal(await status('getCollection', '/api/v1/collections/nope_nope', withToken(token)), 404);
      // Once confirmed, the same token posts.
      await t.db
        .insertInto('user_email_verifications')
        .values({ user_id: await idOfUser('col_unverified'), email: 'col_unverified@example.org' })
        .execute();
      assert.equal(await status('createNewsComment', `/api/v1/news/${post.id}/comments`, jsonRequest({ comment: 'Me too' }, token)), 201);
    } finally {
      t.app.siteSettings.emailVerification = false;
    }
  });

  /** A request for each operation that reaches its checks. */
  const anyRequest = (path: string) =>
    path.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'login' ? 'col_owner' : name === 'name' ? 'nope_nope' : '999999'));

  it('answers every operation the same way without a token, without its scope, and with a body that is not JSON', async () => {
    const readOnly = await appToken('col_stranger', ['read']);
    const writer = await personalToken('col_writer');
    for (const id of COLLECTION_OPERATION_IDS) {
      const { method, path, op } = api.operations.get(id)!;
      const url = anyRequest(path);
      const body = op.requestBody?.content['application/json']?.example;
      const guest = op.security.some((s) => Object.keys(s).length === 0);
      const none = await call(id, url, body === undefined ? {} : jsonRequest(body, null));
      if (guest) assert.equal(none.statusCode, 404, `${id} without a token reads like anyone`);
      else {
        assert.equal(none.statusCode, 401, `${id} without a token`);
        assert.match(String(none.headers['www-authenticate']), /^Bearer/);
      }
      if (method !== 'get') {
        const refused = await call(id, url, body === undefined ? withToken(readOnly) : jsonRequest(body, readOnly));
        assert.equal(refused.statusCode, 403, `${id} with a read-only app token`);
        assert.match(String(refused.headers['www-authenticate']), /insufficient_scope/);
      }
      if (body !== undefined) {
        assert.equal((await call(id, url, jsonRequest('{"oops":', writer))).statusCode, 400, `${id} with broken JSON`);
        assert.equal((await call(id, url, jsonRequest('hello', writer, 'text/plain'))).statusCode, 415, `${id} with text`);
      }
    }
  });

  it('rate limits every operation with a documented 429', async () => {
    for (const id of COLLECTION_OPERATION_IDS) {
      const { method, path } = api.operations.get(id)!;
      const max = method === 'get' ? READS_PER_MINUTE : WRITES_PER_MINUTE;
      const request: InjectOptions = { method: method.toUpperCase() as 'GET', url: anyRequest(path), remoteAddress: '10.9.9.7' };
      // Until the limit answers (a window that resets on a busy machine just takes another round).
      for (let i = 0; i < 3 * max; i += 1) if ((await t.app.inject(request)).statusCode === 429) break;
      const limited = await api.call(id, request);
      assert.equal(limited.statusCode, 429, id);
      assert.ok(Number(limited.headers['retry-after']) > 0, `${id} says when to retry`);
    }
  });

  it('has every documented status of these operations produced by some request above', () => {
    assert.deepEqual(api.unseen(COLLECTION_OPERATION_IDS), []);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { hashToken, newToken } from '../lib/tokens.ts';
import { READS_PER_MINUTE, WRITES_PER_MINUTE } from './api.schema.ts';
import type { HttpMethod, JsonSchema, OpenApiDocument, OperationObject } from './openapi.ts';
import { OPERATION_IDS } from './api-operations.openapi.ts';
import { COLLECTION_OPERATION_IDS } from './api-collections.openapi.ts';
import { ANONYMITY_OPERATION_IDS } from './api-collections-anonymity.openapi.ts';
import { GIFT_OPERATION_IDS } from './api-gifts.openapi.ts';
import { PROMPT_OPERATION_IDS } from './api-prompt-memes.openapi.ts';
import { CO_CREATOR_OPERATION_IDS } from './api-co-creators.openapi.ts';
import { EXCHANGE_OPERATION_IDS } from './api-exchanges.openapi.ts';
import { checkSchema, documentedBody, revalidate } from './openapi.test-helpers.ts';

/** The library's own type for a document: ours is a narrower interface of the same JSON. */
type SwaggerDocument = Exclude<Parameters<typeof SwaggerParser.validate>[0], string>;

// Checks the OpenAPI document against the app: the same routes both ways, and for each operation
// real requests whose statuses are documented and whose bodies match the documented schemas.

/** The app's routes, read from Fastify's route tree ("└── api/v1/works (GET, HEAD, POST)"). */
function appRoutes(tree: string): Array<{ method: string; path: string }> {
  const routes: Array<{ method: string; path: string }> = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([\s│├└─]*)(\S.*?) \(([A-Z, ]+)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4 - 1;
    stack.length = depth;
    const path = (depth > 0 ? stack[depth - 1]! : '') + match[2]!;
    stack[depth] = path;
    for (const method of match[3]!.split(', ')) routes.push({ method, path });
  }
  return routes;
}

const toFastifyPath = (openApiPath: string) => openApiPath.replace(/\{(\w+)\}/g, ':$1');

describe('the OpenAPI document', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  let token: string;
  const operations = new Map<string, { method: HttpMethod; path: string; op: OperationObject }>();
  const seen = new Map<string, Set<string>>();

  /** A fresh account's token: writes are rate limited per account, and the checks write a lot. */
  const writers: Array<{ token: string; used: number }> = [];
  async function writerToken(): Promise<string> {
    let current = writers.at(-1);
    if (!current || current.used >= WRITES_PER_MINUTE - 1) {
      const login = `doc_writer_${writers.length}`;
      const visitor = await new TestVisitor(t.app).signUp(login);
      const page = await visitor.post(`/users/${login}/api_tokens`, { name: 'doc test' });
      current = { token: /ff_[A-Za-z0-9_-]{43}/.exec(page.body)![0], used: 0 };
      writers.push(current);
    }
    current.used += 1;
    return current.token;
  }

  const doc_writer = (i: number) => `doc_writer_${i}`;
  async function freshToken(login: string): Promise<string> {
    const visitor = await new TestVisitor(t.app).signUp(login);
    const page = await visitor.post(`/users/${login}/api_tokens`, { name: 'doc test' });
    return /ff_[A-Za-z0-9_-]{43}/.exec(page.body)![0];
  }

  /** Sends a request for a documented operation and checks the answer against the document. */
  async function call(operationId: string, request: InjectOptions): Promise<LightMyRequestResponse> {
    const entry = operations.get(operationId);
    assert.ok(entry, `${operationId} is documented`);
    const response = await t.app.inject({ method: entry.method.toUpperCase() as 'GET', ...request });
    const status = String(response.statusCode);
    const documented = entry.op.responses[status];
    assert.ok(documented, `${operationId} answered ${status}, which the document does not list (${response.body.slice(0, 200)})`);
    const media = documentedBody(documented.content);
    if (media) {
      assert.match(String(response.headers['content-type']), /^application\/(problem\+)?json/);
      assert.deepEqual(checkSchema(doc, media.schema, response.json()), [], `${operationId} ${status} body matches the document`);
    }
    for (const header of Object.keys(documented.headers ?? {})) {
      assert.ok(response.headers[header.toLowerCase()], `${operationId} ${status} sends ${header}`);
    }
    if (!seen.has(operationId)) seen.set(operationId, new Set());
    seen.get(operationId)!.add(status);
    if (await revalidate(t.app, entry, request, response, seen.get(operationId)!)) seen.get(operationId)!.add('304');
    return response;
  }

  /** An app's token holding only "read", as the consent page would store it. */
  async function readOnlyAppToken(): Promise<string> {
    const user = await t.db.selectFrom('users').select('id').orderBy('id').executeTakeFirstOrThrow();
    const app = await t.db
      .insertInto('oauth_apps')
      .values({
        client_id: `ffc_${newToken().slice(0, 20)}`,
        owner_user_id: user.id,
        name: 'Doc app',
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

  const bearer = (value: string) => ({ authorization: `Bearer ${value}` });
  const jsonBody = (body: unknown, auth: string) => ({
    url: '/api/v1/works',
    headers: { 'content-type': 'application/json', ...bearer(auth) },
    payload: JSON.stringify(body),
  });

  before(async () => {
    t = await createTestApp();
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    assert.equal(r.statusCode, 200);
    doc = r.json();
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item) as Array<[HttpMethod, OperationObject]>)
        operations.set(op.operationId, { method, path, op });
    }
    token = await writerToken();
  });
  after(() => t.close());

  it('is an OpenAPI 3.1 document with a bearer scheme and this archive as its server', () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.deepEqual(doc.servers, [{ url: 'http://archive.test' }]);
    assert.deepEqual(doc.components.securitySchemes.bearerAuth, {
      type: 'http',
      scheme: 'bearer',
      description: doc.components.securitySchemes.bearerAuth!.description,
    });
    // Every $ref resolves.
    const refs = JSON.stringify(doc).match(/#\/components\/schemas\/\w+/g) ?? [];
    for (const ref of refs) assert.ok(doc.components.schemas[ref.split('/').pop()!], `${ref} exists`);
  });

  it('validates with swagger-parser (the schema of OpenAPI 3.1 and every $ref resolved)', async () => {
    // validate() dereferences the object it is given: the checks below need the document as served.
    await SwaggerParser.validate(structuredClone(doc) as unknown as SwaggerDocument);
  });

  it('documents 304 Not Modified and the ETag on every GET that answers 200', () => {
    for (const { method, op } of operations.values()) {
      if (method !== 'get' || !op.responses['200']) continue;
      assert.ok(op.responses['304'], `${op.operationId} documents 304`);
      assert.ok(op.responses['200'].headers?.ETag, `${op.operationId} documents its ETag`);
    }
  });

  it('documents exactly the /api/v1 routes the app has', () => {
    const routes = appRoutes(t.app.printRoutes({ commonPrefix: false }));
    // The parser reads the tree right: it finds routes of other slices too.
    assert.ok(routes.some((r) => r.method === 'GET' && r.path === '/works/:id/chapters/:chapterId'));

    for (const { method, path } of operations.values()) {
      assert.ok(
        t.app.hasRoute({ method: method.toUpperCase() as 'GET', url: toFastifyPath(path) }),
        `the app has ${method.toUpperCase()} ${path}`,
      );
    }
    const documented = new Set([...operations.values()].map(({ method, path }) => `${method.toUpperCase()} ${toFastifyPath(path)}`));
    const api = routes.filter((r) => r.path.startsWith('/api/') && r.method !== 'HEAD');
    assert.ok(api.length >= 3);
    for (const { method, path } of api) assert.ok(documented.has(`${method} ${path}`), `${method} ${path} is documented`);
  });

  it('lists works as documented', async () => {
    await call('createWork', jsonBody({ ...exampleOf('createWork'), restricted: true }, token));
    const guest = await call('listWorks', { url: '/api/v1/works' });
    assert.equal(guest.statusCode, 200);
    const member = await call('listWorks', { url: '/api/v1/works?page=1', headers: bearer(token) });
    assert.equal(member.json().works.length, 1);
    assert.equal((await call('listWorks', { url: '/api/v1/works?page=0' })).statusCode, 400);
    assert.equal((await call('listWorks', { url: '/api/v1/works', headers: bearer('ff_revoked') })).statusCode, 401);
  });

  it('reads a work as documented', async () => {
    const created = (await call('createWork', jsonBody(exampleOf('createWork'), await writerToken()))).json();
    const id = created.work.id as number;
    assert.equal((await call('getWork', { url: `/api/v1/works/${id}` })).statusCode, 200);
    const restricted = (await call('createWork', jsonBody({ ...exampleOf('createWork'), restricted: true }, await writerToken()))).json();
    assert.equal((await call('getWork', { url: `/api/v1/works/${restricted.work.id}` })).statusCode, 401);
    assert.equal((await call('getWork', { url: `/api/v1/works/${restricted.work.id}`, headers: bearer(token) })).statusCode, 200);
    assert.equal((await call('getWork', { url: '/api/v1/works/123456' })).statusCode, 404);
    assert.equal((await call('getWork', { url: '/api/v1/works/not-a-number' })).statusCode, 404);
    assert.equal((await call('getOpenApiDocument', { url: '/api/v1/openapi.json' })).statusCode, 200);
    assert.equal((await call('getOpenApiDocument', { url: '/api/v1/openapi.json', headers: bearer('nope') })).statusCode, 401);
  });

  /** The create operation's documented example, as the document itself carries it. */
  function exampleOf(operationId: string): Record<string, any> {
    const example = operations.get(operationId)!.op.requestBody!.content['application/json']!.example;
    return structuredClone(example) as Record<string, any>;
  }

  it('creates a work from the documented example, and its response matches the document', async () => {
    const example = exampleOf('createWork');
    const schema = operations.get('createWork')!.op.requestBody!.content['application/json']!.schema;
    assert.deepEqual(checkSchema(doc, schema, example), [], 'the example matches the request schema');
    const r = await call('createWork', jsonBody(example, await writerToken()));
    assert.equal(r.statusCode, 201);
    assert.equal(r.json().work.title, example.title);
    assert.equal(r.headers.location, `http://archive.test/api/v1/works/${r.json().work.id}`);
    const fetched = await call('getWork', { url: new URL(String(r.headers.location)).pathname });
    assert.deepEqual(fetched.json(), r.json());
  });

  it('enforces the request schema as documented: required fields, types, enums, lengths, unknown fields', async () => {
    const createWork = doc.components.schemas.CreateWork!;
    const createChapter = doc.components.schemas.CreateChapter!;
    const refused = async (body: Record<string, any>, field: string, why: string) => {
      const r = await call('createWork', jsonBody(body, await writerToken()));
      assert.equal(r.statusCode, 422, `${why}: ${r.body.slice(0, 300)}`);
      assert.ok(r.json().error.fields[field], `${why}: a message for ${field} in ${JSON.stringify(r.json().error.fields)}`);
    };
    const wrongValueFor = (schema: JsonSchema): unknown => {
      const types = Array.isArray(schema.type) ? schema.type : [schema.type];
      return types.includes('string') ? 42 : 'not the documented type';
    };

    for (const [schema, inChapter] of [
      [createWork, false],
      [createChapter, true],
    ] as const) {
      const prefix = inChapter ? 'chapter.' : '';
      const withField = (name: string, value: unknown) => {
        const body = exampleOf('createWork');
        const target = inChapter ? body.chapter : body;
        if (value === undefined) delete target[name];
        else target[name] = value;
        return body;
      };
      for (const name of schema.required ?? []) await refused(withField(name, undefined), `${prefix}${name}`, `without ${prefix}${name}`);
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        if (property.$ref) continue;
        await refused(withField(name, wrongValueFor(property)), `${prefix}${name}`, `${prefix}${name} of the wrong type`);
        if (property.enum)
          await refused(withField(name, 'Not A Documented Value'), `${prefix}${name}`, `${prefix}${name} outside its enum`);
        if (property.items?.enum)
          await refused(withField(name, ['Not A Documented Value']), `${prefix}${name}`, `${prefix}${name} items outside their enum`);
        if (property.maxLength)
          await refused(withField(name, 'x'.repeat(property.maxLength + 1)), `${prefix}${name}`, `${prefix}${name} too long`);
        if (property.items?.maxLength)
          await refused(withField(name, ['x'.repeat(property.items.maxLength + 1)]), `${prefix}${name}`, `${prefix}${name} item too long`);
        if (property.minItems) await refused(withField(name, []), `${prefix}${name}`, `${prefix}${name} empty`);
        if (property.maximum !== undefined)
          await refused(withField(name, property.maximum + 1), `${prefix}${name}`, `${prefix}${name} above its maximum`);
        if (property.minimum !== undefined)
          await refused(withField(name, property.minimum - 1), `${prefix}${name}`, `${prefix}${name} below its minimum`);
      }
      assert.equal(schema.additionalProperties, false);
      await refused(withField('undocumented_field', 'x'), `${prefix}undocumented_field`, 'an undocumented field');
    }
  });

  it('answers bad requests to the create operation with documented errors', async () => {
    const example = exampleOf('createWork');
    assert.equal((await call('createWork', { ...jsonBody(example, 'ff_unknown') })).statusCode, 401);
    // An app allowed only "read" may not post (personal tokens hold every scope).
    const appOnly = await readOnlyAppToken();
    const refused = await call('createWork', { ...jsonBody(example, appOnly) });
    assert.equal(refused.statusCode, 403);
    assert.match(String(refused.headers['www-authenticate']), /insufficient_scope/);
    assert.equal(
      (
        await call('createWork', {
          url: '/api/v1/works',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify(example),
        })
      ).statusCode,
      401,
    );
    const auth = bearer(await writerToken());
    assert.equal(
      (await call('createWork', { url: '/api/v1/works', headers: { 'content-type': 'application/json', ...auth }, payload: '{"title":' }))
        .statusCode,
      400,
    );
    assert.equal(
      (
        await call('createWork', {
          url: '/api/v1/works',
          headers: { 'content-type': 'text/plain', ...bearer(await writerToken()) },
          payload: 'hello',
        })
      ).statusCode,
      415,
    );
    const huge = JSON.stringify({ ...example, chapter: { ...example.chapter, text: 'word '.repeat(2_000_000) } });
    assert.equal(
      (
        await call('createWork', {
          url: '/api/v1/works',
          headers: { 'content-type': 'application/json', ...bearer(await writerToken()) },
          payload: huge,
        })
      ).statusCode,
      413,
    );
  });

  it('lists downloads and reads tags as documented (api-extensions.routes.ts)', async () => {
    const created = (await call('createWork', jsonBody(exampleOf('createWork'), await writerToken()))).json();
    const downloads = await call('listWorkDownloads', { url: `/api/v1/works/${created.work.id}/downloads` });
    assert.equal(downloads.statusCode, 200);
    const epub = downloads.json().downloads.find((d: { format: string }) => d.format === 'epub');
    assert.match(epub.url, new RegExp(`^http://archive\\.test/downloads/${created.work.id}/The_Long_Way_Home\\.epub\\?updated_at=\\d+$`));
    const file = await t.app.inject({ method: 'GET', url: new URL(epub.url).pathname + new URL(epub.url).search });
    assert.equal(file.headers['content-type'], 'application/epub+zip');
    const restricted = (await call('createWork', jsonBody({ ...exampleOf('createWork'), restricted: true }, await writerToken()))).json();
    assert.equal((await call('listWorkDownloads', { url: `/api/v1/works/${restricted.work.id}/downloads` })).statusCode, 401);
    assert.equal(
      (await call('listWorkDownloads', { url: `/api/v1/works/${restricted.work.id}/downloads`, headers: bearer(token) })).statusCode,
      200,
    );
    assert.equal((await call('listWorkDownloads', { url: '/api/v1/works/999999/downloads' })).statusCode, 404);

    const tag = await call('getTag', { url: '/api/v1/tags/Hurt*s*Comfort' });
    assert.equal(tag.statusCode, 200);
    assert.equal(tag.json().tag.type, 'freeform');
    const guestCount = tag.json().tag.works as number;
    const memberCount = (await call('getTag', { url: '/api/v1/tags/Hurt*s*Comfort', headers: bearer(token) })).json().tag.works as number;
    assert.ok(memberCount > guestCount, 'restricted works count only with a token');
    assert.equal((await call('getTag', { url: '/api/v1/tags/No%20Such%20Tag' })).statusCode, 404);
    assert.equal((await call('getTag', { url: '/api/v1/tags/Grief', headers: bearer('nope') })).statusCode, 401);
    const works = await call('listTagWorks', { url: '/api/v1/tags/Grief/works' });
    assert.equal(works.json().works.length, guestCount);
    assert.equal((await call('listTagWorks', { url: '/api/v1/tags/Grief/works?page=0' })).statusCode, 400);
    assert.equal((await call('listTagWorks', { url: '/api/v1/tags/Nothing/works' })).statusCode, 404);
    assert.equal((await call('listTagWorks', { url: '/api/v1/tags/Grief/works', headers: bearer('nope') })).statusCode, 401);
  });

  it('searches, reads series, bookmarks and comments as documented (api-community.routes.ts)', async () => {
    const ownerToken = await writerToken();
    const owner = doc_writer(writers.length - 1);
    const created = (await call('createWork', jsonBody({ ...exampleOf('createWork'), title: 'Searchable Lighthouse' }, ownerToken))).json();
    const workId = created.work.id as number;

    const search = await call('searchWorks', {
      url: '/api/v1/works/search?q=Lighthouse&fandoms=The%20Vampire%20Diaries%20(TV)&sort=updated',
    });
    assert.equal(search.statusCode, 200);
    assert.deepEqual(
      search.json().works.map((w: { id: number }) => w.id),
      [workId],
    );
    assert.equal(search.json().total, 1);
    assert.ok(
      search.json().facets.some((f: { name: string; type: string }) => f.type === 'fandom' && f.name === 'The Vampire Diaries (TV)'),
    );
    assert.equal((await call('searchWorks', { url: '/api/v1/works/search?q=%22unclosed' })).statusCode, 422);
    assert.equal((await call('searchWorks', { url: '/api/v1/works/search?words_from=lots' })).statusCode, 422);
    assert.equal((await call('searchWorks', { url: '/api/v1/works/search', headers: bearer('nope') })).statusCode, 401);

    const series = await t.db
      .insertInto('series')
      .values({ title: 'A Documented Series', updated_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const ownerRow = await t.db.selectFrom('users').select('id').where('login', '=', owner).executeTakeFirstOrThrow();
    await t.db.insertInto('series_creators').values({ series_id: series.id, user_id: ownerRow.id }).execute();
    await t.db.insertInto('series_works').values({ series_id: series.id, work_id: workId, position: 1 }).execute();
    const gotSeries = await call('getSeries', { url: `/api/v1/series/${series.id}` });
    assert.equal(gotSeries.statusCode, 200);
    assert.deepEqual(
      gotSeries.json().works.map((w: { id: number }) => w.id),
      [workId],
    );
    assert.equal((await call('getSeries', { url: '/api/v1/series/999999' })).statusCode, 404);
    assert.equal((await call('getSeries', { url: `/api/v1/series/${series.id}`, headers: bearer('nope') })).statusCode, 401);

    const bookmarkUrl = `/api/v1/works/${workId}/bookmarks`;
    const bookmark = (payload: unknown, auth: string | null, type = 'application/json') => ({
      url: bookmarkUrl,
      headers: { 'content-type': type, ...(auth ? bearer(auth) : {}) },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
    const example = operations.get('createBookmark')!.op.requestBody!.content['application/json']!.example;
    assert.equal((await call('createBookmark', bookmark(example, await freshToken('doc_bookmarker_1')))).statusCode, 201);
    const again = await freshToken('doc_bookmarker_2');
    assert.equal((await call('createBookmark', bookmark({}, again))).statusCode, 201);
    assert.equal((await call('createBookmark', bookmark({ rec: true }, again))).statusCode, 200);
    assert.equal((await call('createBookmark', bookmark({ private: 'yes' }, await writerToken()))).statusCode, 422);
    assert.equal((await call('createBookmark', bookmark('{', await writerToken()))).statusCode, 400);
    assert.equal((await call('createBookmark', bookmark('x', await writerToken(), 'text/plain'))).statusCode, 415);
    assert.equal((await call('createBookmark', bookmark({}, null))).statusCode, 401);
    assert.equal(
      (await call('createBookmark', { ...bookmark({}, await writerToken()), url: '/api/v1/works/999999/bookmarks' })).statusCode,
      404,
    );

    const bookmarker = 'doc_bookmarker_1';
    assert.equal((await call('listUserBookmarks', { url: `/api/v1/users/${owner}/bookmarks` })).statusCode, 200);
    assert.equal((await call('listUserBookmarks', { url: '/api/v1/users/nobody_here/bookmarks' })).statusCode, 404);
    assert.equal((await call('listUserBookmarks', { url: `/api/v1/users/${bookmarker}/bookmarks?page=0` })).statusCode, 400);
    assert.equal(
      (await call('listUserBookmarks', { url: `/api/v1/users/${bookmarker}/bookmarks`, headers: bearer('nope') })).statusCode,
      401,
    );

    const comment = (payload: unknown, auth: string | null, id = workId, type = 'application/json') => ({
      url: `/api/v1/works/${id}/comments`,
      headers: { 'content-type': type, ...(auth ? bearer(auth) : {}) },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
    const commentExample = operations.get('createComment')!.op.requestBody!.content['application/json']!.example;
    const posted = await call('createComment', comment(commentExample, await writerToken()));
    assert.equal(posted.statusCode, 201);
    const parentId = posted.json().comment.id as number;
    assert.equal((await call('createComment', comment({ comment: 'A reply.', parent_id: parentId }, await writerToken()))).statusCode, 201);
    await t.db.updateTable('comments').set({ is_frozen: true }).where('id', '=', parentId).execute();
    assert.equal(
      (await call('createComment', comment({ comment: 'Too late.', parent_id: parentId }, await writerToken()))).statusCode,
      403,
    );
    assert.equal((await call('createComment', comment({ comment: '   ' }, await writerToken()))).statusCode, 422);
    assert.equal((await call('createComment', comment({ comment: 'x', paragraph: 'one' }, await writerToken()))).statusCode, 422);
    assert.equal((await call('createComment', comment({ comment: 'x', parent_id: 999999 }, await writerToken()))).statusCode, 404);
    assert.equal((await call('createComment', comment('{', await writerToken()))).statusCode, 400);
    assert.equal((await call('createComment', comment('x', await writerToken(), workId, 'text/plain'))).statusCode, 415);
    assert.equal((await call('createComment', comment({ comment: 'x' }, null))).statusCode, 401);
    // The archive's own comment limit (per account over ten minutes) answers 429 too.
    const chatty = await writerToken();
    let last;
    for (let i = 0; i < 11; i += 1) last = await t.app.inject({ method: 'POST', ...comment({ comment: `Comment ${i}` }, chatty) });
    assert.equal(last!.statusCode, 429);
    assert.equal((await call('createComment', comment({ comment: 'One more.' }, chatty))).statusCode, 429);

    const thread = await call('listWorkComments', { url: `/api/v1/works/${workId}/comments` });
    assert.equal(thread.statusCode, 200);
    assert.equal(thread.json().comments[0].replies[0].body_html, '<p>A reply.</p>');
    const restricted = (await call('createWork', jsonBody({ ...exampleOf('createWork'), restricted: true }, await writerToken()))).json();
    assert.equal((await call('listWorkComments', { url: `/api/v1/works/${restricted.work.id}/comments` })).statusCode, 401);
    assert.equal((await call('listWorkComments', { url: '/api/v1/works/999999/comments' })).statusCode, 404);
  });

  it('rate limits each operation with a documented 429', async () => {
    const exhaust = async (operationId: string, request: InjectOptions, max: number) => {
      const entry = operations.get(operationId)!;
      // Until the limit answers (a window that resets on a busy machine just takes another round).
      for (let i = 0; i < 3 * max; i += 1)
        if ((await t.app.inject({ method: entry.method.toUpperCase() as 'GET', ...request })).statusCode === 429) break;
      const r = await call(operationId, request);
      assert.equal(r.statusCode, 429, operationId);
      assert.ok(Number(r.headers['retry-after']) > 0);
    };
    const busy = await writerToken();
    await exhaust(
      'createWork',
      { url: '/api/v1/works', headers: { 'content-type': 'application/json', ...bearer(busy) }, payload: '{}' },
      WRITES_PER_MINUTE,
    );
    await exhaust('listWorks', { url: '/api/v1/works?page=9999' }, READS_PER_MINUTE);
    await exhaust('getWork', { url: '/api/v1/works/999999' }, READS_PER_MINUTE);
    await exhaust('getOpenApiDocument', { url: '/api/v1/openapi.json' }, READS_PER_MINUTE);
    await exhaust('listWorkDownloads', { url: '/api/v1/works/999999/downloads' }, READS_PER_MINUTE);
    await exhaust('getTag', { url: '/api/v1/tags/Nothing' }, READS_PER_MINUTE);
    await exhaust('listTagWorks', { url: '/api/v1/tags/Nothing/works' }, READS_PER_MINUTE);
    await exhaust('searchWorks', { url: '/api/v1/works/search?q=nothing' }, READS_PER_MINUTE);
    await exhaust('getSeries', { url: '/api/v1/series/999999' }, READS_PER_MINUTE);
    await exhaust('listUserBookmarks', { url: '/api/v1/users/nobody_here/bookmarks' }, READS_PER_MINUTE);
    await exhaust('listWorkComments', { url: '/api/v1/works/999999/comments' }, READS_PER_MINUTE);
    const bookmarking = await writerToken();
    await exhaust(
      'createBookmark',
      { url: '/api/v1/works/999999/bookmarks', headers: { 'content-type': 'application/json', ...bearer(bookmarking) }, payload: '{}' },
      WRITES_PER_MINUTE,
    );
  });

  it('has every documented status produced by some request above', () => {
    // The operations of the site's signed-in pages have their own file (api-operations.routes.test.ts).
    const elsewhere = new Set([...OPERATION_IDS, ...GIFT_OPERATION_IDS]);
    for (const id of CO_CREATOR_OPERATION_IDS) elsewhere.add(id); // api-co-creators.routes.test.ts
    for (const id of EXCHANGE_OPERATION_IDS) elsewhere.add(id); // api-exchanges.routes.test.ts
    for (const id of ANONYMITY_OPERATION_IDS) elsewhere.add(id); // api-collections-anonymity.routes.test.ts
    for (const id of PROMPT_OPERATION_IDS) elsewhere.add(id); // api-prompt-memes.routes.test.ts
    for (const [operationId, { op }] of operations) {
      if (elsewhere.has(operationId) || COLLECTION_OPERATION_IDS.includes(operationId)) continue; // collections: api-collections.routes.test.ts
      const missing = Object.keys(op.responses).filter((status) => !seen.get(operationId)?.has(status));
      assert.deepEqual(missing, [], `${operationId}: documented statuses no request produced`);
    }
  });
});

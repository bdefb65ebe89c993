import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import type { HttpMethod, OpenApiDocument, OperationObject } from './openapi.ts';
import { checkSchema, documentedBody } from './openapi.test-helpers.ts';

/*
 * A client that knows nothing but the served OpenAPI document: it finds each operation by its
 * operationId, builds the URL from the documented path and parameters, checks its request body
 * against the documented schema before sending (as a generated, typed client would at compile
 * time) and each answer against the documented response. A writer's and a reader's journeys run
 * through it, so the document alone is enough to build an app.
 */
class DocumentClient {
  private readonly ops = new Map<string, { method: HttpMethod; path: string; op: OperationObject }>();
  constructor(
    private readonly app: FastifyInstance,
    private readonly doc: OpenApiDocument,
    private readonly token: string,
  ) {
    for (const [path, item] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(item) as Array<[HttpMethod, OperationObject]>)
        this.ops.set(op.operationId, { method, path, op });
  }

  async call(
    operationId: string,
    input: {
      path?: Record<string, string | number>;
      query?: Record<string, string>;
      body?: unknown;
      headers?: Record<string, string>;
    } = {},
  ): Promise<{ status: number; body: any; headers: Record<string, unknown> }> {
    const entry = this.ops.get(operationId);
    assert.ok(entry, `the document has ${operationId}`);
    const { method, path, op } = entry;
    const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      const value = input.path?.[name];
      assert.ok(value !== undefined, `${operationId} needs the path parameter ${name}`);
      return encodeURIComponent(String(value));
    });
    for (const name of Object.keys(input.query ?? {}))
      assert.ok(
        op.parameters?.some((p) => p.in === 'query' && p.name === name),
        `${operationId} documents the query parameter ${name}`,
      );
    const query = new URLSearchParams(input.query ?? {}).toString();
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, ...input.headers };
    let payload: string | undefined;
    if (op.requestBody) {
      const schema = op.requestBody.content['application/json']!.schema;
      assert.deepEqual(checkSchema(this.doc, schema, input.body), [], `${operationId}: the request matches the document`);
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(input.body);
    }
    const response = await this.app.inject({
      method: method.toUpperCase() as 'GET',
      url: query ? `${url}?${query}` : url,
      headers,
      ...(payload ? { payload } : {}),
    });
    const documented = op.responses[String(response.statusCode)];
    assert.ok(documented, `${operationId} answered ${response.statusCode}, which the document lists (${response.body.slice(0, 200)})`);
    const media = documentedBody(documented.content);
    const body = response.body === '' ? undefined : response.json();
    if (media) assert.deepEqual(checkSchema(this.doc, media.schema, body), [], `${operationId}: the answer matches the document`);
    return { status: response.statusCode, body, headers: response.headers };
  }
}

const inAWeek = () => `${new Date(Date.now() + 7 * 24 * 3600_000).toISOString().slice(0, 16)}Z`;

describe('a client built from the OpenAPI document alone', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  const clientFor = async (login: string) => {
    const visitor = await new TestVisitor(t.app).signUp(login);
    const token = /ff_[A-Za-z0-9_-]{43}/.exec((await visitor.post(`/users/${login}/api_tokens`, { name: 'client' })).body)![0];
    return new DocumentClient(t.app, doc, token);
  };

  before(async () => {
    t = await createTestApp();
    doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
  });
  after(() => t.close());

  it('runs a writer journey and a reader journey', async () => {
    const writer = await clientFor('doc_client_writer');
    const reader = await clientFor('doc_client_reader');

    // Writer: post a work, add a chapter, schedule the next.
    const example = doc.paths['/api/v1/works']!.post!.requestBody!.content['application/json']!.example as Record<string, unknown>;
    const work = await writer.call('createWork', { body: { ...example, title: 'The Lighthouse Keeper', expected_chapters: 3 } });
    assert.equal(work.status, 201);
    const workId = work.body.work.id as number;
    const second = await writer.call('addChapter', {
      path: { id: workId },
      body: { title: 'Fog', text: 'The fog came in.', format: 'plain' },
    });
    assert.equal(second.status, 201);
    const third = await writer.call('addChapter', {
      path: { id: workId },
      body: { title: 'Light', text: 'The lamp was lit.', format: 'plain', post_at: inAWeek() },
    });
    assert.equal(third.body.chapter.posted, false);

    // Reader: search, kudos, bookmark, subscribe, comment, keep the place.
    const found = await reader.call('searchWorks', { query: { q: 'Lighthouse' } });
    assert.deepEqual(
      found.body.works.map((w: { id: number }) => w.id),
      [workId],
    );
    const read = await reader.call('getWork', { path: { id: workId } });
    assert.equal(read.body.chapters.length, 2, 'the scheduled chapter is not out yet');
    assert.equal((await reader.call('giveKudos', { path: { id: workId } })).status, 201);
    assert.equal(
      (await reader.call('createBookmark', { path: { id: workId }, body: { notes: 'Atmospheric.', tags: ['sea'] } })).status,
      201,
    );
    assert.equal((await reader.call('subscribe', { body: { kind: 'work', id: workId } })).status, 201);
    const comment = await reader.call('createComment', { path: { id: workId }, body: { comment: 'The fog chapter!' } });
    assert.equal(comment.status, 201);
    const place = await reader.call('savePosition', { path: { id: workId }, body: { chapter_id: second.body.chapter.id, paragraph: 1 } });
    assert.equal(place.status, 200);
    assert.equal((await reader.call('getPosition', { path: { id: workId } })).body.position.chapter_id, second.body.chapter.id);

    // Writer: read the comments (the inbox says there is one) and reply; post the waiting chapter now.
    const inbox = await writer.call('listInbox', { query: { filter: 'unread' } });
    assert.ok(inbox.body.unread >= 1);
    const thread = await writer.call('listWorkComments', { path: { id: workId } });
    assert.equal(thread.body.comments[0].id, comment.body.comment.id);
    const reply = await writer.call('createComment', {
      path: { id: workId },
      body: { comment: 'Thank you!', parent_id: comment.body.comment.id },
    });
    assert.equal(reply.status, 201);
    assert.equal(
      (await writer.call('postChapterNow', { path: { id: workId, chapterId: third.body.chapter.id } })).body.chapter.posted,
      true,
    );
    await t.app.jobs.drain();

    // Reader: the reply and the new chapter are in the inbox; open one.
    const news = await reader.call('listInbox', {});
    const texts = news.body.items.map((i: { text: string }) => i.text).join('\n');
    assert.match(texts, /replied/);
    assert.match(texts, /Chapter 3/);
    const opened = await reader.call('readInboxItem', { path: { itemId: news.body.items[0].id } });
    assert.equal(opened.body.item.read, true);
    // A read it already has costs a 304.
    const again = await t.app.inject({
      method: 'GET',
      url: `/api/v1/works/${workId}`,
      headers: { 'if-none-match': String((await reader.call('getWork', { path: { id: workId } })).headers.etag) },
    });
    assert.equal(again.statusCode, 304);
  });
});

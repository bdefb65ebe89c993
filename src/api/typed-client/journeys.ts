// A writer's and a reader's journeys through the typed client, as an app would make them.
// api-typed-client.routes.test.ts type-checks this file against the types generated from the
// served document (a renamed field, a dropped operation or a changed status breaks the compile)
// and then runs it against the app.
import assert from 'node:assert/strict';
import type { paths } from './openapi-paths.ts';
import { type Client, expectStatus } from './typed-client.ts';

export type ApiClient = Client<paths>;

// Callbacks name the fields they read: under the repository's own typecheck `paths` is a
// placeholder and answers are untyped, so an unannotated parameter would be an implicit any.

const inAWeek = () => `${new Date(Date.now() + 7 * 24 * 3600_000).toISOString().slice(0, 16)}Z`;

/** The writer posts a work, adds a chapter and schedules the next one. */
export async function postAWork(writer: ApiClient, title: string) {
  const work = expectStatus(
    await writer.post('/api/v1/works', {
      body: {
        title,
        rating: 'General Audiences',
        warnings: ['No Archive Warnings Apply'],
        fandoms: ['Original Work'],
        expected_chapters: 3,
        chapter: { title: 'Shore', text: 'The keeper climbed the stairs.', format: 'plain' },
      },
    }),
    201,
  ).body.work;
  const second = expectStatus(
    await writer.post('/api/v1/works/{id}/chapters', {
      path: { id: work.id },
      body: { title: 'Fog', text: 'The fog came in.', format: 'plain' },
    }),
    201,
  ).body.chapter;
  assert.equal(second.posted, true);
  const third = expectStatus(
    await writer.post('/api/v1/works/{id}/chapters', {
      path: { id: work.id },
      body: { title: 'Light', text: 'The lamp was lit.', format: 'plain', post_at: inAWeek() },
    }),
    201,
  ).body.chapter;
  assert.equal(third.posted, false, 'the third chapter waits for its time');
  assert.ok(third.scheduled_at);
  return { workId: work.id, secondChapterId: second.id, thirdChapterId: third.id };
}

/** The reader finds the work, reads it, gives kudos, bookmarks it, subscribes, comments and keeps the place. */
export async function readAndRespond(reader: ApiClient, work: { workId: number; secondChapterId: number }, words: string) {
  const found = expectStatus(await reader.get('/api/v1/works/search', { query: { q: words } }), 200).body;
  assert.deepEqual(
    found.works.map((w: { id: number }) => w.id),
    [work.workId],
  );
  const read = expectStatus(await reader.get('/api/v1/works/{id}', { path: { id: work.workId } }), 200);
  assert.equal(read.body.chapters.length, 2, 'the scheduled chapter is not out yet');
  // A read the reader already has costs a 304 and no body.
  const etag = read.headers.get('etag');
  assert.ok(etag);
  const again = await reader.get('/api/v1/works/{id}', { path: { id: work.workId }, headers: { 'if-none-match': etag } });
  assert.equal(again.status as number, 304);

  expectStatus(await reader.post('/api/v1/works/{id}/kudos', { path: { id: work.workId } }), 201);
  expectStatus(await reader.post('/api/v1/works/{id}/kudos', { path: { id: work.workId } }), 200);
  const bookmark = expectStatus(
    await reader.post('/api/v1/works/{id}/bookmarks', {
      path: { id: work.workId },
      body: { notes: 'Atmospheric.', tags: ['sea'] },
      headers: { 'Idempotency-Key': `bookmark-${work.workId}` },
    }),
    201,
  ).body;
  assert.deepEqual(bookmark.bookmark.tags, ['sea']);
  expectStatus(await reader.post('/api/v1/me/subscriptions', { body: { kind: 'work', id: work.workId } }), 201);
  const subscriptions = expectStatus(await reader.get('/api/v1/me/subscriptions'), 200).body;
  assert.ok(subscriptions.subscriptions.some((s: { kind: string; id: number }) => s.kind === 'work' && s.id === work.workId));

  const comment = expectStatus(
    await reader.post('/api/v1/works/{id}/comments', { path: { id: work.workId }, body: { comment: 'The fog chapter!' } }),
    201,
  ).body.comment;

  expectStatus(
    await reader.put('/api/v1/works/{id}/position', {
      path: { id: work.workId },
      body: { chapter_id: work.secondChapterId, paragraph: 1 },
    }),
    200,
  );
  const place = expectStatus(await reader.get('/api/v1/works/{id}/position', { path: { id: work.workId } }), 200).body;
  assert.equal(place.position.chapter_id, work.secondChapterId);
  return { commentId: comment.id };
}

/** The writer reads the comments (the inbox says there is one), replies and posts the waiting chapter now. */
export async function answerReaders(writer: ApiClient, work: { workId: number; thirdChapterId: number }, commentId: number) {
  const inbox = expectStatus(await writer.get('/api/v1/me/inbox', { query: { filter: 'unread' } }), 200).body;
  assert.ok(inbox.unread >= 1);
  const thread = expectStatus(await writer.get('/api/v1/works/{id}/comments', { path: { id: work.workId } }), 200).body;
  assert.equal(thread.comments[0]?.id, commentId);
  expectStatus(
    await writer.post('/api/v1/works/{id}/comments', {
      path: { id: work.workId },
      body: { comment: 'Thank you!', parent_id: commentId },
    }),
    201,
  );
  const posted = expectStatus(
    await writer.post('/api/v1/works/{id}/chapters/{chapterId}/post', { path: { id: work.workId, chapterId: work.thirdChapterId } }),
    200,
  ).body;
  assert.equal(posted.chapter.posted, true);
}

/** The reader's inbox has the reply and the new chapter; opening one marks it read. */
export async function catchUp(reader: ApiClient) {
  const inbox = expectStatus(await reader.get('/api/v1/me/inbox'), 200).body;
  const texts = inbox.items.map((i: { text: string }) => i.text).join('\n');
  assert.match(texts, /replied/);
  assert.match(texts, /Chapter 3/);
  const first = inbox.items[0];
  assert.ok(first);
  const opened = expectStatus(await reader.post('/api/v1/me/inbox/{itemId}/read', { path: { itemId: first.id } }), 200).body;
  assert.equal(opened.item.read, true);
  const after = expectStatus(await reader.get('/api/v1/me/inbox'), 200).body;
  assert.equal(after.unread, inbox.unread - 1);
}

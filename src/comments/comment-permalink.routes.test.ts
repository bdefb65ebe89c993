import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { makeModerator } from '../../test/staff.ts';
import { THREADS_PER_PAGE } from './comments.repo.ts';
import { firstChapterId, postWork, quickUser } from './interactions.test-helpers.ts';

/*
 * GET /comments/:id, the permalink: it redirects to the page of the listing that holds the
 * comment (its thread's top-level comment), as the viewer's own listing pages it.
 */
describe('comment permalinks', () => {
  let t: TestApp;
  let author: TestVisitor;
  let reader: TestVisitor;
  let stranger: TestVisitor;
  let readerId: number;

  before(async () => {
    t = await createTestApp();
    author = await new TestVisitor(t.app).signUp('permalink_author');
    reader = await quickUser(t, 'permalink_reader');
    stranger = await quickUser(t, 'permalink_stranger');
    readerId = (await t.db.selectFrom('users').select('id').where('login', '=', 'permalink_reader').executeTakeFirstOrThrow()).id;
  });
  after(() => t.close());

  /** `n` top-level comments by `permalink_reader`, written straight to the table (dated long ago: no rate limit). */
  async function insertThreads(
    workId: number,
    n: number,
    where: { chapterId?: number; paragraph?: number; userId?: number; approved?: boolean } = {},
  ): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 1; i <= n; i++) {
      const row = await t.db
        .insertInto('comments')
        .values({
          work_id: workId,
          chapter_id: where.chapterId ?? null,
          paragraph: where.paragraph ?? null,
          user_id: where.userId ?? readerId,
          pseud_name: 'permalink_reader',
          body_html: `<p>Thread ${i}.</p>`,
          address_hash: 'test-address',
          is_approved: where.approved ?? true,
          created_at: new Date('2020-01-01'),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(row.id);
    }
    return ids;
  }

  /** Follows the permalink as this visitor: it must redirect (303) to a page that holds the comment. Gives where it went. */
  async function landOn(visitor: TestVisitor, commentId: number): Promise<string> {
    const redirect = await visitor.get(`/comments/${commentId}`);
    assert.equal(redirect.statusCode, 303, redirect.body.slice(0, 300));
    const location = String(redirect.headers.location);
    assert.ok(location.endsWith(`#comment-${commentId}`), location);
    const page = await visitor.get(location.replace(/#.*$/, ''));
    assert.equal(page.statusCode, 200, `${location}: ${page.body.slice(0, 300)}`);
    assert.match(page.body, new RegExp(`id="comment-${commentId}"`), `the comment is on ${location}`);
    return location;
  }

  const status = async (visitor: TestVisitor, commentId: number | string) => (await visitor.get(`/comments/${commentId}`)).statusCode;

  it('redirects to the page of the work’s listing that holds the comment, uncached', async () => {
    const workId = await postWork(author, { title: 'Long Thread' });
    const ids = await insertThreads(workId, THREADS_PER_PAGE + 3);
    const guest = new TestVisitor(t.app);
    assert.equal(await landOn(guest, ids[0]!), `/works/${workId}#comment-${ids[0]}`);
    const late = ids[THREADS_PER_PAGE + 1]!;
    assert.doesNotMatch(
      (await guest.get(`/works/${workId}`)).body,
      new RegExp(`id="comment-${late}"`),
      'the work page holds only the first page',
    );
    assert.equal(await landOn(guest, late), `/works/${workId}/comments?page=2#comment-${late}`);
    assert.equal(await landOn(reader, late), `/works/${workId}/comments?page=2#comment-${late}`);
    const redirect = await guest.get(`/comments/${late}`);
    assert.match(String(redirect.headers['cache-control']), /no-store/);
  });

  it('sends a reply, its new-comment redirect and its notification to its thread’s page', async () => {
    const workId = await postWork(author, { title: 'Replies Deep Down' });
    const ids = await insertThreads(workId, THREADS_PER_PAGE + 2);
    const thread = ids[THREADS_PER_PAGE + 1]!;
    const onPage2 = (id: number) => `/works/${workId}/comments?page=2#comment-${id}`;

    const posted = await author.post(`/works/${workId}/comments`, { comment: 'A reply on page two.', parent_id: String(thread) });
    assert.equal(posted.statusCode, 303, posted.body.slice(0, 300));
    const reply = (await t.db.selectFrom('comments').select('id').where('parent_id', '=', thread).executeTakeFirstOrThrow()).id;
    assert.equal(posted.headers.location, onPage2(reply), 'the post redirect goes to the page the reply is on');
    const nested = await stranger.post(`/works/${workId}/comments`, { comment: 'A reply to the reply.', parent_id: String(reply) });
    const nestedId = (await t.db.selectFrom('comments').select('id').where('parent_id', '=', reply).executeTakeFirstOrThrow()).id;
    assert.equal(nested.headers.location, onPage2(nestedId));
    assert.equal(await landOn(new TestVisitor(t.app), reply), onPage2(reply));
    assert.equal(await landOn(reader, nestedId), onPage2(nestedId));

    // A new top-level comment is the last thread: page 2 as well, not page 1 of the work.
    const top = await stranger.post(`/works/${workId}/comments`, { comment: 'Late to the party.', return_to: `/works/${workId}` });
    assert.match(String(top.headers.location), new RegExp(`^/works/${workId}/comments\\?page=2#comment-\\d+$`));

    // The reader's inbox holds the permalink of the reply to their comment, and following it lands on page 2.
    const item = await t.db
      .selectFrom('inbox_items')
      .select(['id', 'url'])
      .where('user_id', '=', readerId)
      .where('comment_id', '=', reply)
      .executeTakeFirstOrThrow();
    assert.equal(item.url, `/comments/${reply}`);
    const opened = await reader.get(`/users/permalink_reader/inbox/${item.id}`);
    assert.equal(opened.statusCode, 303);
    assert.equal(opened.headers.location, `/comments/${reply}`);
    assert.equal(await landOn(reader, reply), onPage2(reply));
    const creatorItem = await t.db
      .selectFrom('inbox_items')
      .innerJoin('users', 'users.id', 'inbox_items.user_id')
      .select('inbox_items.url')
      .where('users.login', '=', 'permalink_author')
      .where('inbox_items.comment_id', '=', nestedId)
      .executeTakeFirstOrThrow();
    assert.equal(creatorItem.url, `/comments/${nestedId}`);
    // An item stored before permalinks (a link to the first page) opens the permalink too.
    const old = await t.db
      .insertInto('inbox_items')
      .values({
        user_id: readerId,
        kind: 'reply',
        work_id: workId,
        comment_id: reply,
        text: 'An old notification.',
        url: `/works/${workId}#comment-${reply}`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    assert.equal((await reader.get(`/users/permalink_reader/inbox/${old.id}`)).headers.location, `/comments/${reply}`);
  });

  it('keeps chapter and paragraph comments on their own listings, paged the same way', async () => {
    const workId = await postWork(author, { title: 'Annotated', body: 'One.\n\nTwo.\n\nThree.' });
    const chapterId = await firstChapterId(t.db, workId);
    const onParagraph = await insertThreads(workId, THREADS_PER_PAGE + 1, { chapterId, paragraph: 2 });
    const [onChapter] = await insertThreads(workId, 1, { chapterId });
    const first = onParagraph[0]!;
    const last = onParagraph[THREADS_PER_PAGE]!;
    assert.equal(await landOn(reader, first), `/works/${workId}/chapters/${chapterId}/paragraphs/2/comments#comment-${first}`);
    assert.equal(await landOn(reader, last), `/works/${workId}/chapters/${chapterId}/paragraphs/2/comments?page=2#comment-${last}`);
    // The chapter's listing holds its paragraphs' threads too: 51 come before this one.
    assert.equal(await landOn(reader, onChapter!), `/works/${workId}/comments?chapter=${chapterId}&page=2#comment-${onChapter}`);
  });

  it('pages pending threads as the viewer’s listing does', async () => {
    const workId = await postWork(author, { title: 'Moderated Talk' });
    const strangerId = (await t.db.selectFrom('users').select('id').where('login', '=', 'permalink_stranger').executeTakeFirstOrThrow()).id;
    await insertThreads(workId, 10);
    const [pending] = await insertThreads(workId, 1, { userId: strangerId, approved: false });
    await insertThreads(workId, THREADS_PER_PAGE - 11);
    const [target] = await insertThreads(workId, 1);
    // Others see 49 threads before it; the creator and the pending comment's author see 50.
    assert.equal(await landOn(new TestVisitor(t.app), target!), `/works/${workId}#comment-${target}`);
    assert.equal(await landOn(reader, target!), `/works/${workId}#comment-${target}`);
    assert.equal(await landOn(author, target!), `/works/${workId}/comments?page=2#comment-${target}`);
    assert.equal(await landOn(stranger, target!), `/works/${workId}/comments?page=2#comment-${target}`);
    assert.equal(await status(new TestVisitor(t.app), pending!), 404, 'a pending comment is not shown to guests');
    assert.equal(await status(reader, pending!), 404, 'nor to other readers');
    await landOn(stranger, pending!);
    await landOn(author, pending!);
  });

  it('refuses what the pages would not show: drafts, restricted works to guests, hidden works and comments, deleted comments', async () => {
    const guest = new TestVisitor(t.app);
    const draft = await postWork(author, { title: 'Back To Draft' });
    const [onDraft] = await insertThreads(draft, 1);
    await t.db.updateTable('works').set({ is_draft: true }).where('id', '=', draft).execute();
    for (const v of [guest, reader, author]) assert.equal(await status(v, onDraft!), 404, 'a draft shows no comments');

    const restricted = await postWork(author, { title: 'Members Only', restricted: '1' });
    const [onRestricted] = await insertThreads(restricted, 1);
    assert.equal(await status(guest, onRestricted!), 401, 'as the work page answers a guest');
    await landOn(reader, onRestricted!);

    const hiddenWork = await postWork(author, { title: 'Hidden By Staff' });
    const [onHidden] = await insertThreads(hiddenWork, 1);
    const moderator = await quickUser(t, 'permalink_mod');
    await makeModerator(t.db, 'permalink_mod');
    assert.equal((await moderator.post(`/moderation/works/${hiddenWork}/hide`, { reason: 'Checking.' })).statusCode, 303);
    assert.equal(await status(guest, onHidden!), 404);
    assert.equal(await status(reader, onHidden!), 404, 'even for the comment’s author: the work is hidden');
    await landOn(author, onHidden!);
    await landOn(moderator, onHidden!);

    const open = await postWork(author, { title: 'Open Talk' });
    const [comment] = await insertThreads(open, 1);
    await landOn(guest, comment!);
    assert.equal((await author.post(`/comments/${comment}/hide`)).statusCode, 303);
    assert.equal(await status(guest, comment!), 404, 'hidden from readers, and not kept from before');
    assert.equal(await status(stranger, comment!), 404);
    await landOn(reader, comment!);
    await landOn(author, comment!);

    const [parent] = await insertThreads(open, 1);
    const answer = await stranger.post(`/works/${open}/comments`, { comment: 'Stays.', parent_id: String(parent) });
    assert.equal(answer.statusCode, 303);
    assert.equal((await reader.post(`/comments/${parent}/delete`)).statusCode, 303);
    assert.equal(await status(reader, parent!), 404, 'a deleted comment is a placeholder at most');

    assert.equal(await status(guest, 999_999_999), 404);
    assert.equal(await status(guest, 'abc'), 404);
  });

  it('links reported comments in the moderation queue through the permalink', async () => {
    const workId = await postWork(author, { title: 'Reported Talk' });
    const [comment] = await insertThreads(workId, 1);
    const filed = await stranger.post('/reports', { target_type: 'comment', target_id: String(comment), reason: 'Spam', details: '' });
    assert.equal(filed.statusCode, 303, filed.body.slice(0, 300));
    assert.equal(filed.headers.location, `/comments/${comment}`);
    const moderator = await quickUser(t, 'permalink_queue_mod');
    await makeModerator(t.db, 'permalink_queue_mod');
    const queue = await moderator.get('/moderation');
    assert.match(queue.body, new RegExp(`<a href="/comments/${comment}">comment ${comment}</a>`));
    await landOn(moderator, comment!);
    assert.equal(
      (await stranger.get(`/reports/new?type=comment&id=999999999`)).statusCode,
      404,
      'no report form for a comment that does not exist',
    );
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { firstChapterId, postFrom, postWork, quickUser, workCounts } from './interactions.test-helpers.ts';
import { countLinks } from './comments.service.ts';

/** A guest's comment (no cookies; the same-site Origin a browser sends) from an address. */
function guestComment(t: TestApp, workId: number, form: Record<string, string>, address = '203.0.113.50') {
  return t.app.inject({
    method: 'POST',
    url: `/works/${workId}/comments`,
    remoteAddress: address,
    headers: { origin: 'http://archive.test', host: 'archive.test', 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(form).toString(),
  });
}

function commentIdFrom(location: unknown): number {
  const match = /#comment-(\d+)$/.exec(String(location));
  assert.ok(match, `expected a redirect to a comment, got ${String(location)}`);
  return Number(match[1]);
}

async function inboxTexts(t: TestApp, login: string): Promise<string[]> {
  const rows = await t.db
    .selectFrom('inbox_items')
    .innerJoin('users', 'users.id', 'inbox_items.user_id')
    .select('inbox_items.text')
    .where('users.login', '=', login)
    .orderBy('inbox_items.id')
    .execute();
  return rows.map((r) => r.text);
}

describe('comments', () => {
  let t: TestApp;
  let author: TestVisitor;
  let reader: TestVisitor;
  let workId: number;
  before(async () => {
    t = await createTestApp();
    author = await new TestVisitor(t.app).signUp('comment_author');
    reader = await quickUser(t, 'chatty_reader');
    workId = await postWork(author, { title: 'Talked About', body: 'Para one.\n\nPara two.\n\nPara three.' });
  });
  after(() => t.close());

  it('posts a comment on a work, sanitized, counted, shown to guests, and tells the creator', async () => {
    const posted = await reader.post(`/works/${workId}/comments`, { comment: 'Loved it! <script>alert(1)</script><b>bold</b>' });
    assert.equal(posted.statusCode, 303, posted.body.slice(0, 300));
    const id = commentIdFrom(posted.headers.location);
    const page = await new TestVisitor(t.app).get(`/works/${workId}`);
    assert.match(page.body, new RegExp(`id="comment-${id}"`));
    assert.match(page.body, /Loved it!/);
    assert.match(page.body, /<b>bold<\/b>/);
    assert.doesNotMatch(page.body, /<script>alert/);
    assert.equal((await workCounts(t.db, workId)).comments_count, 1);
    assert.ok((await inboxTexts(t, 'comment_author')).some((s) => s === 'chatty_reader commented on Talked About.'));
  });

  it('comments on a chapter and threads replies, notifying the parent comment’s author', async () => {
    const chapterId = await firstChapterId(t.db, workId);
    const top = await reader.post(`/works/${workId}/comments`, {
      comment: 'Chapter thoughts',
      chapter_id: String(chapterId),
      return_to: `/works/${workId}/chapters/${chapterId}`,
    });
    const topId = commentIdFrom(top.headers.location);
    assert.equal(String(top.headers.location), `/works/${workId}/chapters/${chapterId}#comment-${topId}`);
    const replyForm = await author.get(`/comments/${topId}/reply`);
    assert.equal(replyForm.statusCode, 200);
    assert.match(replyForm.body, /Reply to chatty_reader/);
    const reply = await author.post(`/works/${workId}/comments`, { comment: 'Thank you!', parent_id: String(topId) });
    const replyId = commentIdFrom(reply.headers.location);
    const row = await t.db.selectFrom('comments').select(['parent_id', 'chapter_id']).where('id', '=', replyId).executeTakeFirstOrThrow();
    assert.deepEqual(row, { parent_id: topId, chapter_id: chapterId });
    const chapterPage = await new TestVisitor(t.app).get(`/works/${workId}/chapters/${chapterId}`);
    assert.match(chapterPage.body, new RegExp(`id="comment-${topId}"[\\s\\S]*comment-thread[\\s\\S]*id="comment-${replyId}"`));
    assert.ok((await inboxTexts(t, 'chatty_reader')).includes('comment_author replied to your comment on Talked About.'));
  });

  it('lets the author edit their comment but nobody else; keeps the text on a bad edit', async () => {
    const posted = await reader.post(`/works/${workId}/comments`, { comment: 'Typo hre' });
    const id = commentIdFrom(posted.headers.location);
    const other = await quickUser(t, 'meddler');
    assert.equal((await other.get(`/comments/${id}/edit`)).statusCode, 403);
    const refused = await other.post(`/comments/${id}`, { comment: 'Hijacked' });
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /only edit your own comments/);
    assert.equal((await new TestVisitor(t.app).post(`/comments/${id}`, { comment: 'Guest edit' })).statusCode, 401);
    const empty = await reader.post(`/comments/${id}`, { comment: '   ' });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /Write your comment/);
    const ok = await reader.post(`/comments/${id}`, { comment: 'Typo here' });
    assert.equal(ok.statusCode, 303);
    const row = await t.db.selectFrom('comments').select(['body_html', 'edited_at']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.body_html, '<p>Typo here</p>');
    assert.ok(row.edited_at);
  });

  it('keeps a deleted comment with replies as "This comment was deleted"; removes one without', async () => {
    const parent = commentIdFrom((await reader.post(`/works/${workId}/comments`, { comment: 'Soon deleted' })).headers.location);
    const child = commentIdFrom(
      (await author.post(`/works/${workId}/comments`, { comment: 'A reply that stays', parent_id: String(parent) })).headers.location,
    );
    const lone = commentIdFrom((await reader.post(`/works/${workId}/comments`, { comment: 'Lonely' })).headers.location);
    const before = (await workCounts(t.db, workId)).comments_count;
    assert.equal((await quickUser(t, 'not_owner').then((v) => v.post(`/comments/${parent}/delete`))).statusCode, 403);
    assert.equal((await reader.post(`/comments/${parent}/delete`)).statusCode, 303);
    assert.equal((await reader.post(`/comments/${lone}/delete`)).statusCode, 303);
    const page = await new TestVisitor(t.app).get(`/works/${workId}`);
    assert.match(page.body, /This comment was deleted\./);
    assert.doesNotMatch(page.body, /Soon deleted/);
    assert.match(page.body, new RegExp(`id="comment-${child}"`));
    assert.equal(await t.db.selectFrom('comments').select('id').where('id', '=', lone).executeTakeFirst(), undefined);
    assert.equal((await workCounts(t.db, workId)).comments_count, before - 2);
    const replyToDeleted = await reader.post(`/works/${workId}/comments`, { comment: 'hello?', parent_id: String(parent) });
    assert.equal(replyToDeleted.statusCode, 422);
  });

  it('takes guest comments with a name and email, and refuses them when the creator turns them off', async () => {
    const missing = await guestComment(t, workId, { comment: 'Anonymous love', guest_name: '', guest_email: 'nope' });
    assert.equal(missing.statusCode, 422);
    assert.match(missing.body, /Enter a name/);
    assert.match(missing.body, /Anonymous love/, 'the comment is kept');
    const ok = await guestComment(t, workId, { comment: 'Guest love', guest_name: 'Wanderer', guest_email: 'w@example.org' });
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 300));
    const page = await new TestVisitor(t.app).get(`/works/${workId}`);
    assert.match(page.body, /Wanderer \(Guest\)/);
    assert.doesNotMatch(page.body, /w@example\.org/);
    assert.doesNotMatch(page.body, /name="_csrf"/, 'guest page forms carry no per-visitor token');

    assert.equal((await reader.post(`/works/${workId}/comment_settings`, {})).statusCode, 403);
    assert.equal((await author.post(`/works/${workId}/comment_settings`, { comments_moderated: '' })).statusCode, 303);
    const refused = await guestComment(t, workId, { comment: 'Again', guest_name: 'Wanderer', guest_email: 'w@example.org' });
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /turned off guest comments/);
    const guestPage = await new TestVisitor(t.app).get(`/works/${workId}`);
    assert.match(guestPage.body, /turned off guest comments/);
    assert.equal((await author.post(`/works/${workId}/comment_settings`, { guest_comments_allowed: '1' })).statusCode, 303);
  });

  it('lets guests post at most one link per comment', async () => {
    assert.equal(countLinks('<p><a href="http://a.example">http://a.example</a> and www.b.example</p>'), 2);
    const two = await guestComment(
      t,
      workId,
      { comment: 'See http://a.example and https://b.example', guest_name: 'Linker', guest_email: 'l@example.org' },
      '203.0.113.60',
    );
    assert.equal(two.statusCode, 422);
    assert.match(two.body, /at most 1 link/);
    const one = await guestComment(
      t,
      workId,
      { comment: 'See https://a.example', guest_name: 'Linker', guest_email: 'l@example.org' },
      '203.0.113.60',
    );
    assert.equal(one.statusCode, 303);
    const member = await reader.post(`/works/${workId}/comments`, { comment: 'http://a.example http://b.example http://c.example' });
    assert.equal(member.statusCode, 303, 'signed-in users may post links');
  });

  it('holds comments for approval on a moderated work until the creator approves them', async () => {
    const moderated = await postWork(author, { title: 'Moderated' });
    assert.equal(
      (await author.post(`/works/${moderated}/comment_settings`, { guest_comments_allowed: '1', comments_moderated: '1' })).statusCode,
      303,
    );
    const posted = await reader.post(`/works/${moderated}/comments`, { comment: 'Pending words' });
    const id = commentIdFrom(posted.headers.location);
    assert.equal((await workCounts(t.db, moderated)).comments_count, 0);
    assert.doesNotMatch((await new TestVisitor(t.app).get(`/works/${moderated}`)).body, /Pending words/);
    assert.match(
      (await reader.get(`/works/${moderated}`)).body,
      /awaiting approval<\/span>[\s\S]*Pending words/,
      'the author sees their own pending comment',
    );
    const creatorView = await author.get(`/works/${moderated}`);
    assert.match(creatorView.body, /awaiting approval/);
    assert.ok((await inboxTexts(t, 'comment_author')).some((s) => s.includes('awaits your approval')));
    assert.equal((await reader.post(`/comments/${id}/approve`)).statusCode, 403);
    assert.equal((await author.post(`/comments/${id}/approve`)).statusCode, 303);
    assert.match((await new TestVisitor(t.app).get(`/works/${moderated}`)).body, /Pending words/);
    assert.equal((await workCounts(t.db, moderated)).comments_count, 1);
  });

  it('freezes a thread against replies and hides a comment from readers', async () => {
    const id = commentIdFrom((await reader.post(`/works/${workId}/comments`, { comment: 'Heated take' })).headers.location);
    assert.equal((await reader.post(`/comments/${id}/freeze`)).statusCode, 403);
    assert.equal((await author.post(`/comments/${id}/freeze`)).statusCode, 303);
    const reply = await quickUser(t, 'late_replier').then((v) =>
      v.post(`/works/${workId}/comments`, { comment: 'But actually', parent_id: String(id) }),
    );
    assert.equal(reply.statusCode, 403);
    assert.match(reply.body, /frozen/);
    const before = (await workCounts(t.db, workId)).comments_count;
    assert.equal((await author.post(`/comments/${id}/hide`)).statusCode, 303);
    assert.doesNotMatch((await new TestVisitor(t.app).get(`/works/${workId}`)).body, /Heated take/);
    assert.match((await author.get(`/works/${workId}`)).body, /hidden from readers[\s\S]*Heated take/);
    assert.equal((await workCounts(t.db, workId)).comments_count, before - 1);
    assert.equal((await author.post(`/comments/${id}/unhide`)).statusCode, 303);
    assert.equal((await workCounts(t.db, workId)).comments_count, before);
  });

  it('refuses comments and replies from users the creator blocked, and hides muted users’ comments from the muter', async () => {
    const troll = await quickUser(t, 'troll');
    const c = commentIdFrom((await troll.post(`/works/${workId}/comments`, { comment: 'Troll words' })).headers.location);
    assert.equal((await author.post('/users/comment_author/blocked', { action: 'add', user: 'troll' })).statusCode, 303);
    const refused = await troll.post(`/works/${workId}/comments`, { comment: 'More troll words' });
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /blocked you/);
    const refusedReply = await troll.post(`/works/${workId}/comments`, { comment: 'reply', parent_id: String(c) });
    assert.equal(refusedReply.statusCode, 403);
    assert.match((await troll.get(`/works/${workId}`)).body, /blocked you/);

    assert.equal((await reader.post('/users/chatty_reader/muted', { action: 'add', user: 'troll' })).statusCode, 303);
    assert.doesNotMatch((await reader.get(`/works/${workId}`)).body, /Troll words/);
    assert.match((await new TestVisitor(t.app).get(`/works/${workId}`)).body, /Troll words/);
  });

  it('refuses guests on restricted works', async () => {
    const restricted = await postWork(author, { title: 'Restricted', restricted: '1' });
    const r = await guestComment(t, restricted, { comment: 'hi', guest_name: 'G', guest_email: 'g@example.org' });
    assert.equal(r.statusCode, 401);
  });

  it('rate-limits comments per user and per address with a clear message, keeping the text', async () => {
    const target = await postWork(author, { title: 'Busy' });
    const spammer = await quickUser(t, 'spammer');
    for (let i = 0; i < 10; i++)
      assert.equal((await postFrom(t, spammer, `/works/${target}/comments`, { comment: `Comment ${i}` }, `10.1.0.${i}`)).statusCode, 303);
    const limited = await postFrom(t, spammer, `/works/${target}/comments`, { comment: 'One too many' }, '10.1.0.99');
    assert.equal(limited.statusCode, 429);
    assert.match(limited.body, /commenting too fast: at most 10 comments in 10 minutes/);
    assert.match(limited.body, /One too many/, 'the text is kept');
    for (let i = 0; i < 20; i++) {
      const r = await guestComment(t, target, { comment: `Guest ${i}`, guest_name: 'G', guest_email: 'g@example.org' }, '198.51.100.99');
      assert.equal(r.statusCode, 303);
    }
    const flood = await guestComment(t, target, { comment: 'Flood', guest_name: 'G', guest_email: 'g@example.org' }, '198.51.100.99');
    assert.equal(flood.statusCode, 429);
    assert.match(flood.body, /at most 20 comments from your network address in 10 minutes/);
    assert.equal(
      (await guestComment(t, target, { comment: 'Elsewhere', guest_name: 'G', guest_email: 'g@example.org' }, '198.51.100.98')).statusCode,
      303,
    );
  });

  it('keeps the comment count exact when many comment at once', async () => {
    const target = await postWork(author, { title: 'Crowded' });
    const users = await Promise.all(Array.from({ length: 15 }, (_, i) => quickUser(t, `crowd_${i}`)));
    const responses = await Promise.all(
      users.map((u, i) =>
        t.app.inject({
          method: 'POST',
          url: `/works/${target}/comments`,
          remoteAddress: `10.0.0.${i + 1}`,
          headers: { cookie: [...u.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ _csrf: u.csrfToken, comment: `Hello ${i}` }).toString(),
        }),
      ),
    );
    for (const r of responses) assert.equal(r.statusCode, 303, r.body.slice(0, 300));
    assert.equal((await workCounts(t.db, target)).comments_count, 15);
  });

  it('takes paragraph comments, validates the paragraph, and shows counts beside the text', async () => {
    const chapterId = await firstChapterId(t.db, workId);
    const reader = await quickUser(t, 'paragraph_reader');
    const form = await reader.get(`/works/${workId}/chapters/${chapterId}/paragraphs/2/comments`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Para two\./);
    const posted = await postFrom(
      t,
      reader,
      `/works/${workId}/comments`,
      { comment: 'This line!', chapter_id: String(chapterId), paragraph: '2' },
      '10.2.0.1',
    );
    assert.equal(posted.statusCode, 303, posted.body.slice(0, 300));
    assert.match(String(posted.headers.location), /\/paragraphs\/2\/comments#comment-\d+$/);
    const row = await t.db
      .selectFrom('comments')
      .select(['chapter_id', 'paragraph'])
      .where('body_html', '=', '<p>This line!</p>')
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { chapter_id: chapterId, paragraph: 2 });
    const tooFar = await postFrom(
      t,
      reader,
      `/works/${workId}/comments`,
      { comment: 'Nope', chapter_id: String(chapterId), paragraph: '4' },
      '10.2.0.1',
    );
    assert.equal(tooFar.statusCode, 404);
    assert.equal((await reader.get(`/works/${workId}/chapters/${chapterId}/paragraphs/9/comments`)).statusCode, 404);
    const annotated = await author.get(`/works/${workId}/chapters/${chapterId}/paragraphs`);
    assert.match(annotated.body, /Comment on paragraph 1/);
    assert.match(annotated.body, /1 comment on paragraph 2/);
    const chapterPage = await author.get(`/works/${workId}/chapters/${chapterId}`);
    assert.match(chapterPage.body, /Paragraph 2: 1 comment/);
    assert.ok((await inboxTexts(t, 'comment_author')).includes('paragraph_reader commented on paragraph 2 of Talked About.'));
    const stored = await t.db.selectFrom('chapters').select('body_html').where('id', '=', chapterId).executeTakeFirstOrThrow();
    assert.match(stored.body_html, /^<p>Para one\.<\/p>\s*<p>Para two\.<\/p>\s*<p>Para three\.<\/p>$/, 'chapter HTML is stored unchanged');
  });

  it('reaches paragraph comments from the work page of a one-chapter work, as from a chapter page', async () => {
    const oneChapter = await postWork(author, { title: 'Short and Sweet', body: 'First line.\n\nSecond line.\n\nThird line.' });
    const chapterId = await firstChapterId(t.db, oneChapter);
    const annotated = `/works/${oneChapter}/chapters/${chapterId}/paragraphs`;
    const page = await new TestVisitor(t.app).get(`/works/${oneChapter}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`<a href="${annotated}">Read this chapter with paragraph comments</a>`));
    const reader = await quickUser(t, 'one_chapter_reader');
    const posted = await reader.post(`/works/${oneChapter}/comments`, {
      comment: 'That second line.',
      chapter_id: String(chapterId),
      paragraph: '2',
    });
    assert.equal(posted.statusCode, 303);
    // The counts beside the text (paragraph-comments.js puts them by each paragraph) are on the work page too, for guests as well.
    const after = await new TestVisitor(t.app).get(`/works/${oneChapter}`);
    assert.match(after.body, new RegExp(`<a href="${annotated}/2/comments" data-paragraph="2" data-count="1">Paragraph 2: 1 comment</a>`));
    assert.match(after.body, /<script src="\/static\/paragraph-comments\.js\?v=1" defer><\/script>/);

    // A work of several chapters: each chapter's page offers its own; the entire-work view none (which chapter would it be?).
    const longer = await postWork(author, { title: 'Two Parts', expected_chapters: '2' });
    const second = await author.post(`/works/${longer}/chapters`, {
      chapter_title: 'Part two',
      text_format: 'plain',
      body: 'More.',
      action: 'post',
    });
    assert.equal(second.statusCode, 303);
    const whole = await new TestVisitor(t.app).get(`/works/${longer}?view_full_work=true`);
    assert.doesNotMatch(whole.body, /Read this chapter with paragraph comments/);
    const firstId = await firstChapterId(t.db, longer);
    assert.match(
      (await new TestVisitor(t.app).get(`/works/${longer}/chapters/${firstId}`)).body,
      /Read this chapter with paragraph comments/,
    );
  });

  it('pages top-level comment threads, 50 a page, each with all its replies', async () => {
    const paged = await postWork(author, { title: 'Much Discussed' });
    const chapterId = await firstChapterId(t.db, paged);
    const readerRow = await t.db.selectFrom('users').select('id').where('login', '=', 'chatty_reader').executeTakeFirstOrThrow();
    const ids: number[] = [];
    for (let i = 1; i <= 52; i++) {
      const row = await t.db
        .insertInto('comments')
        .values({
          work_id: paged,
          chapter_id: chapterId,
          user_id: readerRow.id,
          pseud_name: 'chatty_reader',
          body_html: `<p>Thread number ${i}.</p>`,
          address_hash: 'test-address',
          created_at: new Date(Date.now() - 86_400_000),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(row.id);
    }
    // Replies do not take a place on the page; a pending thread by someone else takes none for others.
    const replyOnFirst = await reader.post(`/works/${paged}/comments`, { comment: 'Reply under thread one.', parent_id: String(ids[0]) });
    assert.equal(replyOnFirst.statusCode, 303);
    const replyOnLast = await reader.post(`/works/${paged}/comments`, {
      comment: 'Reply under thread fifty-two.',
      parent_id: String(ids[51]),
    });
    const lastReplyId = commentIdFrom(replyOnLast.headers.location);
    const other = await quickUser(t, 'pending_poster');
    await t.db.updateTable('works').set({ comments_moderated: true }).where('id', '=', paged).execute();
    assert.equal(
      (await other.post(`/works/${paged}/comments`, { comment: 'Awaiting approval.', chapter_id: String(chapterId) })).statusCode,
      303,
    );
    await t.db.updateTable('works').set({ comments_moderated: false }).where('id', '=', paged).execute();

    const first = await reader.get(`/works/${paged}`);
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /Thread number 1\./);
    assert.match(first.body, /Reply under thread one\./);
    assert.match(first.body, /Thread number 50\./);
    assert.doesNotMatch(first.body, /Thread number 51\./);
    assert.match(first.body, new RegExp(`href="/works/${paged}/comments\\?page=2"`));
    const chapterPage = await reader.get(`/works/${paged}/chapters/${chapterId}`);
    assert.match(chapterPage.body, new RegExp(`href="/works/${paged}/comments\\?chapter=${chapterId}&amp;page=2"`));

    const second = await reader.get(`/works/${paged}/comments?page=2`);
    assert.equal(second.statusCode, 200);
    assert.match(second.body, /Thread number 51\.[\s\S]*Thread number 52\.[\s\S]*Reply under thread fifty-two\./);
    assert.doesNotMatch(second.body, /Thread number 50\.|Thread number 1\./);
    assert.doesNotMatch(second.body, /Awaiting approval/, 'pending comments are not shown to others');
    assert.match(second.body, new RegExp(`href="/works/${paged}/comments\\?page=1"`));
    const creatorView = await author.get(`/works/${paged}/comments?page=2`);
    assert.match(creatorView.body, /Awaiting approval/, 'the creator sees the pending thread on the page it falls on');
    assert.match((await reader.get(`/works/${paged}/comments?chapter=${chapterId}&page=2`)).body, /Thread number 52\./);
    assert.doesNotMatch((await reader.get(`/works/${paged}/comments?page=3`)).body, /Thread number/);
    assert.match((await reader.get(`/works/${paged}/comments?page=nonsense`)).body, /Thread number 1\./);
    assert.equal((await reader.get(`/works/${paged}/comments?chapter=999999`)).statusCode, 404);
    assert.equal((await reader.get('/works/999999/comments')).statusCode, 404);
    // A reply deep on page 2 can still be answered.
    const replyPage = await reader.get(`/comments/${lastReplyId}/reply`);
    assert.equal(replyPage.statusCode, 200);
    assert.match(replyPage.body, /Reply under thread fifty-two\./);
  });

  it('answers bad input with 4xx, never 500', async () => {
    const reader = await quickUser(t, 'bad_input_reader');
    const forms: Record<string, string>[] = [
      { comment: 'x', parent_id: 'abc' },
      { comment: 'x', parent_id: '999999' },
      { comment: 'x', chapter_id: '999999' },
      {},
      { comment: 'x'.repeat(10_001) },
    ];
    for (const form of forms) {
      const r = await reader.post(`/works/${workId}/comments`, form);
      assert.ok(r.statusCode >= 400 && r.statusCode < 500, `${JSON.stringify(form).slice(0, 60)} gave ${r.statusCode}`);
    }
    assert.equal((await reader.post('/works/999999/comments', { comment: 'x' })).statusCode, 404);
    assert.equal((await reader.post('/comments/abc/delete')).statusCode, 404);
  });
});

describe('comments and staff', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  it('lets a moderator hide and delete a reported comment, with an audit entry, and refuses other readers', async () => {
    const author = await new TestVisitor(t.app).signUp('staff_author');
    const posted = await author.post('/works', buildWorkForm({ title: 'Commented Work' }));
    const workId = Number(String(posted.headers.location).split('/').pop());
    const troll = await new TestVisitor(t.app).signUp('troll');
    assert.equal((await troll.post(`/works/${workId}/comments`, { comment: 'A rude comment' })).statusCode, 303);
    const comment = await t.db.selectFrom('comments').select('id').where('work_id', '=', workId).executeTakeFirstOrThrow();
    const bystander = await new TestVisitor(t.app).signUp('bystander');
    assert.equal((await bystander.post(`/comments/${comment.id}/delete`)).statusCode, 403);
    const moderator = await new TestVisitor(t.app).signUp('the_moderator');
    const user = await t.db.selectFrom('users').select('id').where('login', '=', 'the_moderator').executeTakeFirstOrThrow();
    await t.db.insertInto('user_roles').values({ user_id: user.id, role: 'moderator' }).execute();
    assert.equal((await moderator.post(`/comments/${comment.id}/delete`)).statusCode, 303);
    assert.equal(await t.db.selectFrom('comments').select('id').where('id', '=', comment.id).executeTakeFirst(), undefined);
    const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'comment.delete').execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.actor_login, 'the_moderator');
  });

  it('never answers a malformed comments page parameter with a server error', async () => {
    const author = await new TestVisitor(t.app).signUp('page_author');
    const posted = await author.post('/works', buildWorkForm({ title: 'Paged' }));
    for (const page of ['abc', '-1', '1e99', '%00', '1&page=2']) {
      const r = await new TestVisitor(t.app).get(`${String(posted.headers.location)}/comments?page=${page}`);
      assert.ok(r.statusCode < 500, `page=${page} gave ${r.statusCode}`);
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { hashToken, newToken } from '../lib/tokens.ts';
import { READS_PER_MINUTE, WRITES_PER_MINUTE } from './api.schema.ts';
import { OPERATION_IDS } from './api-operations.openapi.ts';
import { CREATE_WORK_EXAMPLE, type OpenApiDocument } from './openapi.ts';
import { DocumentedCaller } from './openapi.test-helpers.ts';

// The operations of the site's signed-in pages (api-works.routes.ts, api-me.routes.ts): a writer's
// and a reader's journeys through them, each answer checked against the OpenAPI document, then the
// answers every operation shares (no token, a missing scope, bad JSON, the rate limit), and at the
// end every documented status must have been produced.

const tomorrow = () => `${new Date(Date.now() + 24 * 3600_000).toISOString().slice(0, 16)}Z`;
const nextWeek = () => `${new Date(Date.now() + 7 * 24 * 3600_000).toISOString().slice(0, 16)}Z`;

describe('API operations of the signed-in pages', () => {
  let t: TestApp;
  let api: DocumentedCaller;
  const tokens: Record<string, string> = {};
  let pool = 0;

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const json = (body: unknown, token: string | null, type = 'application/json'): Partial<InjectOptions> => ({
    headers: { 'content-type': type, ...(token ? bearer(token) : {}) },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const as = (token: string): Partial<InjectOptions> => ({ headers: bearer(token) });
  const call = (operationId: string, url: string, options: Partial<InjectOptions> = {}) => api.call(operationId, { url, ...options });
  const status = async (operationId: string, url: string, options: Partial<InjectOptions> = {}) =>
    (await call(operationId, url, options)).statusCode;

  async function personalToken(login: string): Promise<string> {
    const visitor = await new TestVisitor(t.app).signUp(login);
    const page = await visitor.post(`/users/${login}/api_tokens`, { name: 'tests' });
    return /ff_[A-Za-z0-9_-]{43}/.exec(page.body)![0];
  }
  /** A fresh account's token: an account's tokens share a ceiling of writes a minute. */
  const spare = () => personalToken(`spare_${pool++}`);

  /** An app's access token for `login` holding only `scopes` (as the consent page would have stored it). */
  async function appToken(login: string, scopes: string[]): Promise<string> {
    const user = await t.db.selectFrom('users').select('id').where('login', '=', login).executeTakeFirstOrThrow();
    const app = await t.db
      .insertInto('oauth_apps')
      .values({
        client_id: `ffc_${newToken().slice(0, 20)}`,
        owner_user_id: user.id,
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
        user_id: user.id,
        scopes,
      })
      .execute();
    return token;
  }

  const createWork = async (token: string, overrides: Record<string, unknown> = {}) => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/works', ...json({ ...CREATE_WORK_EXAMPLE, ...overrides }, token) });
    assert.equal(r.statusCode, 201, r.body);
    return r.json() as { work: { id: number }; chapters: Array<{ id: number }> };
  };
  const idOfUser = async (login: string) =>
    (await t.db.selectFrom('users').select('id').where('login', '=', login).executeTakeFirstOrThrow()).id;

  before(async () => {
    t = await createTestApp();
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    api = new DocumentedCaller(t.app, r.json() as OpenApiDocument);
    tokens.writer = await personalToken('op_writer');
    tokens.reader = await personalToken('op_reader');
    tokens.blocked = await personalToken('op_blocked');
  });
  after(() => t.close());

  it('documents every operation it serves, with a request schema, an example that matches it, and an oauth2 scope', () => {
    const doc = api.doc;
    for (const id of OPERATION_IDS) {
      const entry = api.operations.get(id);
      assert.ok(entry, `${id} is documented`);
      const body = entry.op.requestBody?.content['application/json'];
      if (body) assert.ok(body.example !== undefined, `${id} has an example`);
      if (entry.path.startsWith('/api/v1/'))
        assert.ok(
          entry.op.security.some((s) => Array.isArray(s.oauth2) && s.oauth2.length === 1),
          `${id} names the one scope it needs`,
        );
    }
    assert.equal(doc.components.securitySchemes.oauth2.flows.authorizationCode.authorizationUrl, 'http://archive.test/oauth/authorize');
  });

  it('holds together as an OpenAPI document: unique ids, declared path parameters, known schemes and scopes', () => {
    const doc = api.doc;
    const ids = new Set<string>();
    const scopes = Object.keys(doc.components.securitySchemes.oauth2.flows.authorizationCode.scopes);
    for (const [path, item] of Object.entries(doc.paths)) {
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
      for (const op of Object.values(item)) {
        assert.ok(!ids.has(op.operationId), `${op.operationId} is unique`);
        ids.add(op.operationId);
        const declared = (op.parameters ?? [])
          .filter((p) => p.in === 'path')
          .map((p) => p.name)
          .sort();
        assert.deepEqual(declared, templated, `${op.operationId} declares exactly the parameters of ${path}`);
        for (const p of (op.parameters ?? []).filter((p) => p.in === 'path'))
          assert.equal(p.required, true, `${op.operationId} ${p.name} is required`);
        for (const requirement of op.security)
          for (const [scheme, wanted] of Object.entries(requirement)) {
            assert.ok(scheme in doc.components.securitySchemes, `${op.operationId} names a known scheme (${scheme})`);
            for (const scope of wanted) assert.ok(scopes.includes(scope), `${op.operationId} names a known scope (${scope})`);
          }
        assert.ok(Object.keys(op.responses).length > 0 && Object.keys(op.responses).every((k) => /^[1-5]\d\d$/.test(k)));
      }
    }
  });

  it("runs a writer's journey: chapters, scheduling, metadata, comment settings, drafts, deleting", async () => {
    const w = tokens.writer!;
    const created = await createWork(w);
    const work = created.work.id;
    const ch1 = created.chapters[0]!.id;
    const reader = tokens.reader!;

    // Add a chapter now, and one for tomorrow.
    const added = await call(
      'addChapter',
      `/api/v1/works/${work}/chapters`,
      json({ title: 'Wednesday', text: 'The next day.', format: 'plain' }, w),
    );
    assert.equal(added.statusCode, 201);
    assert.equal(added.json().chapter.posted, true);
    assert.match(String(added.headers.location), new RegExp(`/works/${work}/chapters/\\d+$`));
    const ch2 = added.json().chapter.id as number;
    const waiting = await call(
      'addChapter',
      `/api/v1/works/${work}/chapters`,
      json({ text: 'Later.', format: 'plain', post_at: tomorrow() }, w),
    );
    assert.equal(waiting.statusCode, 201);
    assert.equal(waiting.json().chapter.posted, false);
    const ch3 = waiting.json().chapter.id as number;
    assert.equal(await status('addChapter', `/api/v1/works/${work}/chapters`, json({ text: '   ', format: 'plain' }, w)), 422);
    const badTime = await call('addChapter', `/api/v1/works/${work}/chapters`, json({ text: 'x', format: 'plain', post_at: 'soon' }, w));
    assert.equal(badTime.statusCode, 422);
    assert.ok(badTime.json().error.fields.post_at);
    assert.equal(await status('addChapter', '/api/v1/works/999999/chapters', json({ text: 'x', format: 'plain' }, w)), 404);
    assert.equal(await status('addChapter', `/api/v1/works/${work}/chapters`, json({ text: 'x', format: 'plain' }, reader)), 403);
    // Readers do not see the waiting chapter; the page and the API agree.
    const public_ = (await t.app.inject({ method: 'GET', url: `/api/v1/works/${work}` })).json();
    assert.deepEqual(
      public_.chapters.map((c: { id: number }) => c.id),
      [ch1, ch2],
    );

    // Edit a chapter.
    const edit = { title: 'Tuesday, again', text: 'She had cried after all.', format: 'plain' };
    assert.equal(await status('updateChapter', `/api/v1/works/${work}/chapters/${ch1}`, json(edit, w)), 200);
    assert.equal(await status('updateChapter', `/api/v1/works/${work}/chapters/${ch1}`, json({ ...edit, format: 'rtf' }, w)), 422);
    assert.equal(await status('updateChapter', `/api/v1/works/${work}/chapters/999999`, json(edit, w)), 404);
    assert.equal(await status('updateChapter', `/api/v1/works/${work}/chapters/${ch1}`, json(edit, reader)), 403);
    const page = await t.app.inject({ method: 'GET', url: `/works/${work}/chapters/${ch1}` });
    assert.match(page.body, /She had cried after all\./, 'the page shows what the API saved');

    // Reorder.
    const reordered = await call('reorderChapters', `/api/v1/works/${work}/chapters/order`, json({ chapter_ids: [ch2, ch1, ch3] }, w));
    assert.equal(reordered.statusCode, 200);
    assert.deepEqual(
      reordered.json().chapters.map((c: { id: number }) => c.id),
      [ch2, ch1, ch3],
    );
    assert.equal(await status('reorderChapters', `/api/v1/works/${work}/chapters/order`, json({ chapter_ids: [ch1] }, w)), 422);
    assert.equal(await status('reorderChapters', '/api/v1/works/999999/chapters/order', json({ chapter_ids: [1] }, w)), 404);
    assert.equal(await status('reorderChapters', `/api/v1/works/${work}/chapters/order`, json({ chapter_ids: [ch1] }, reader)), 403);

    // Reschedule the waiting chapter, then post it now.
    const moved = await call('rescheduleChapter', `/api/v1/works/${work}/chapters/${ch3}/schedule`, json({ post_at: nextWeek() }, w));
    assert.equal(moved.statusCode, 200);
    assert.equal(moved.json().chapter.scheduled_at.slice(0, 16), nextWeek().slice(0, 16));
    assert.equal(
      await status('rescheduleChapter', `/api/v1/works/${work}/chapters/${ch1}/schedule`, json({ post_at: nextWeek() }, w)),
      409,
    );
    assert.equal(
      await status('rescheduleChapter', `/api/v1/works/${work}/chapters/${ch3}/schedule`, json({ post_at: '2001-01-01T00:00Z' }, w)),
      422,
    );
    assert.equal(
      await status('rescheduleChapter', `/api/v1/works/${work}/chapters/999999/schedule`, json({ post_at: nextWeek() }, w)),
      404,
    );
    assert.equal(
      await status('rescheduleChapter', `/api/v1/works/${work}/chapters/${ch3}/schedule`, json({ post_at: nextWeek() }, reader)),
      403,
    );
    assert.equal(await status('postChapterNow', `/api/v1/works/${work}/chapters/${ch3}/post`, as(reader)), 403);
    assert.equal(await status('postChapterNow', `/api/v1/works/${work}/chapters/999999/post`, as(w)), 404);
    const postedNow = await call('postChapterNow', `/api/v1/works/${work}/chapters/${ch3}/post`, as(w));
    assert.equal(postedNow.statusCode, 200);
    assert.equal(postedNow.json().chapter.posted, true);

    // Delete a chapter; the last one cannot go.
    assert.equal(await status('deleteChapter', `/api/v1/works/${work}/chapters/${ch3}`, as(reader)), 403);
    assert.equal(await status('deleteChapter', `/api/v1/works/${work}/chapters/${ch3}`, as(w)), 204);
    assert.equal(await status('deleteChapter', `/api/v1/works/${work}/chapters/${ch3}`, as(w)), 404);
    const single = await createWork(w, { title: 'One Chapter Only' });
    assert.equal(await status('deleteChapter', `/api/v1/works/${single.work.id}/chapters/${single.chapters[0]!.id}`, as(w)), 422);

    // Metadata.
    const meta = { ...CREATE_WORK_EXAMPLE, title: 'The Longer Way Home' } as Record<string, unknown>;
    delete meta.chapter;
    delete meta.draft;
    const updated = await call('updateWork', `/api/v1/works/${work}`, json(meta, w));
    assert.equal(updated.statusCode, 200);
    assert.equal(updated.json().work.title, 'The Longer Way Home');
    assert.equal(await status('updateWork', `/api/v1/works/${work}`, json({ ...meta, title: '' }, w)), 422);
    assert.equal(await status('updateWork', `/api/v1/works/${work}`, json({ ...meta, chapter: {} }, w)), 422);
    assert.equal(await status('updateWork', '/api/v1/works/999999', json(meta, w)), 404);
    assert.equal(await status('updateWork', `/api/v1/works/${work}`, json(meta, reader)), 403);

    // Comment settings.
    const settings = { guest_comments_allowed: false, comments_moderated: true };
    assert.equal(await status('updateCommentSettings', `/api/v1/works/${work}/comment_settings`, json(settings, w)), 200);
    const row = await t.db
      .selectFrom('works')
      .select(['guest_comments_allowed', 'comments_moderated'])
      .where('id', '=', work)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, settings);
    await t.db.updateTable('works').set({ comments_moderated: false }).where('id', '=', work).execute();
    assert.equal(
      await status('updateCommentSettings', `/api/v1/works/${work}/comment_settings`, json({ ...settings, comments_moderated: 'yes' }, w)),
      422,
    );
    assert.equal(await status('updateCommentSettings', '/api/v1/works/999999/comment_settings', json(settings, w)), 404);
    assert.equal(await status('updateCommentSettings', `/api/v1/works/${work}/comment_settings`, json(settings, reader)), 403);

    // A draft: schedule, cancel, post.
    const draft = (await createWork(w, { title: 'Draft', draft: true })).work.id;
    const scheduled = await call('scheduleWork', `/api/v1/works/${draft}/schedule`, json({ post_at: tomorrow() }, w));
    assert.equal(scheduled.statusCode, 200);
    assert.equal(scheduled.json().schedule.post_at.slice(0, 16), tomorrow().slice(0, 16));
    assert.equal(await status('scheduleWork', `/api/v1/works/${draft}/schedule`, json({ post_at: '2001-01-01T00:00Z' }, w)), 422);
    assert.equal(await status('scheduleWork', '/api/v1/works/999999/schedule', json({ post_at: tomorrow() }, w)), 404);
    assert.equal(await status('scheduleWork', `/api/v1/works/${work}/schedule`, json({ post_at: tomorrow() }, reader)), 403);
    assert.equal(await status('cancelWorkSchedule', `/api/v1/works/${work}/schedule`, as(reader)), 403);
    assert.equal(await status('cancelWorkSchedule', `/api/v1/works/${draft}/schedule`, as(w)), 204);
    assert.equal(await status('cancelWorkSchedule', `/api/v1/works/${draft}/schedule`, as(w)), 404);
    assert.equal(await status('postDraft', `/api/v1/works/${draft}/post`, as(reader)), 404, "someone else's draft does not exist");
    assert.equal(await status('postDraft', `/api/v1/works/${work}/post`, as(reader)), 403);
    assert.equal(await status('postDraft', '/api/v1/works/999999/post', as(w)), 404);
    const posted = await call('postDraft', `/api/v1/works/${draft}/post`, as(w));
    assert.equal(posted.statusCode, 200);
    assert.equal(posted.json().work.draft, false);

    // Delete a work.
    assert.equal(await status('deleteWork', `/api/v1/works/${single.work.id}`, as(reader)), 403);
    assert.equal(await status('deleteWork', `/api/v1/works/${single.work.id}`, as(w)), 204);
    assert.equal(await status('deleteWork', `/api/v1/works/${single.work.id}`, as(w)), 404);
    assert.equal((await t.app.inject({ method: 'GET', url: `/works/${single.work.id}` })).statusCode, 404);
  });

  it("answers the story analysis' proposals as the panel on the work page does", async () => {
    const w = await personalToken('op_analysed');
    const work = (await createWork(w, { title: 'Analysed' })).work.id;
    const proposal = { kind: 'character', value: 'Bonnie Bennett' };
    const accepted = await call('acceptProposal', `/api/v1/works/${work}/proposals/accept`, json(proposal, w));
    assert.equal(accepted.statusCode, 200);
    const tags = (await t.app.inject({ method: 'GET', url: `/api/v1/works/${work}` })).json().work.characters;
    assert.ok(tags.includes('Bonnie Bennett'), 'the tag is on the work');
    assert.equal(
      await status('dismissProposal', `/api/v1/works/${work}/proposals/dismiss`, json({ kind: 'character', value: 'Elena' }, w)),
      200,
    );
    for (const action of ['accept', 'dismiss'] as const) {
      const id = `${action}Proposal`;
      const url = `/api/v1/works/${work}/proposals/${action}`;
      assert.equal(await status(id, url, json({ kind: 'weather', value: 'Fog' }, w)), 422);
      assert.equal(await status(id, url, json(proposal, tokens.reader!)), 403);
      assert.equal(await status(id, `/api/v1/works/999999/proposals/${action}`, json(proposal, w)), 404);
    }
    const retried = await call('retryAnalysis', `/api/v1/works/${work}/analysis/retry`, as(w));
    assert.equal(retried.json().analysis.chapters_retried, 0, 'nothing had failed');
    assert.equal(await status('retryAnalysis', `/api/v1/works/${work}/analysis/retry`, as(tokens.reader!)), 403);
    assert.equal(await status('retryAnalysis', '/api/v1/works/999999/analysis/retry', as(w)), 404);
  });

  it('sends reports as the report form does, only about what the reporter may see', async () => {
    const r = tokens.reader!;
    const w = await personalToken('op_reported');
    const work = (await createWork(w, { title: 'Reported' })).work.id;
    const draft = (await createWork(w, { title: 'Unseen', draft: true })).work.id;
    const sent = await call('createReport', '/api/v1/reports', json({ target_type: 'work', target_id: work, reason: 'Spam' }, r));
    assert.equal(sent.statusCode, 201);
    assert.equal(sent.json().report.target.label, 'the work “Reported”');
    const queued = await t.db
      .selectFrom('reports')
      .select(['target_type', 'target_id'])
      .where('id', '=', sent.json().report.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(queued, { target_type: 'work', target_id: work });
    assert.equal(await status('createReport', '/api/v1/reports', json({ target_type: 'work', target_id: draft, reason: 'Spam' }, r)), 404);
    assert.equal(await status('createReport', '/api/v1/reports', json({ target_type: 'work', target_id: 999999, reason: 'Spam' }, r)), 404);
    assert.equal(await status('createReport', '/api/v1/reports', json({ target_type: 'work', target_id: work, reason: 'Boring' }, r)), 422);
  });

  it('manages series as the series pages do', async () => {
    const w = await personalToken('op_series');
    const reader = tokens.reader!;
    const one = (await createWork(w, { title: 'First' })).work.id;
    const two = (await createWork(w, { title: 'Second' })).work.id;
    const created = await call('createSeries', '/api/v1/series', json({ title: 'A Pair', work_id: one }, w));
    assert.equal(created.statusCode, 201);
    assert.deepEqual(created.json().series.work_ids, [one]);
    const id = created.json().series.id as number;
    assert.equal(await status('createSeries', '/api/v1/series', json({ title: '' }, w)), 422);
    assert.equal(await status('createSeries', '/api/v1/series', json({ title: 'Theirs', work_id: one }, reader)), 422);

    assert.equal(await status('updateSeries', `/api/v1/series/${id}`, json({ title: 'A Pair, Complete', complete: true }, w)), 200);
    assert.equal(await status('updateSeries', `/api/v1/series/${id}`, json({ title: 'x'.repeat(241) }, w)), 422);
    assert.equal(await status('updateSeries', `/api/v1/series/${id}`, json({ title: 'Mine now' }, reader)), 403);
    assert.equal(await status('updateSeries', '/api/v1/series/999999', json({ title: 'x' }, w)), 404);

    const withTwo = await call('addWorkToSeries', `/api/v1/series/${id}/works`, json({ work_id: two }, w));
    assert.deepEqual(withTwo.json().series.work_ids, [one, two]);
    assert.equal(await status('addWorkToSeries', `/api/v1/series/${id}/works`, json({ work_id: two }, w)), 422);
    assert.equal(await status('addWorkToSeries', `/api/v1/series/${id}/works`, json({ work_id: two }, reader)), 403);
    assert.equal(await status('addWorkToSeries', '/api/v1/series/999999/works', json({ work_id: two }, w)), 404);

    const reordered = await call('reorderSeries', `/api/v1/series/${id}/order`, json({ work_ids: [two, one] }, w));
    assert.deepEqual(reordered.json().series.work_ids, [two, one]);
    assert.equal(await status('reorderSeries', `/api/v1/series/${id}/order`, json({ work_ids: [two] }, w)), 422);
    assert.equal(await status('reorderSeries', `/api/v1/series/${id}/order`, json({ work_ids: [one, two] }, reader)), 403);
    assert.equal(await status('reorderSeries', '/api/v1/series/999999/order', json({ work_ids: [] }, w)), 404);

    // A reader bookmarks the series.
    assert.equal(await status('bookmarkSeries', `/api/v1/series/${id}/bookmarks`, json({ notes: 'Both.', tags: ['pair'] }, reader)), 201);
    assert.equal(await status('bookmarkSeries', `/api/v1/series/${id}/bookmarks`, json({ rec: true }, reader)), 200);
    assert.equal(await status('bookmarkSeries', `/api/v1/series/${id}/bookmarks`, json({ tags: ['a,b'] }, reader)), 422);
    assert.equal(await status('bookmarkSeries', '/api/v1/series/999999/bookmarks', json({}, reader)), 404);

    assert.equal(await status('removeWorkFromSeries', `/api/v1/series/${id}/works/${two}`, as(reader)), 403);
    assert.equal(await status('removeWorkFromSeries', `/api/v1/series/${id}/works/${two}`, as(w)), 204);
    assert.equal(await status('removeWorkFromSeries', `/api/v1/series/${id}/works/${two}`, as(w)), 422);
    assert.equal(await status('removeWorkFromSeries', `/api/v1/series/999999/works/${two}`, as(w)), 404);

    assert.equal(await status('deleteSeries', `/api/v1/series/${id}`, as(reader)), 403);
    assert.equal(await status('deleteSeries', `/api/v1/series/${id}`, as(w)), 204);
    assert.equal(await status('deleteSeries', `/api/v1/series/${id}`, as(w)), 404);
  });

  it("runs a reader's journey: kudos, comments, bookmarks, reading list and position, subscriptions, inbox", async () => {
    const w = await personalToken('op_author');
    const r = tokens.reader!;
    const created = await createWork(w, { title: 'Reader Bait' });
    const work = created.work.id;
    const chapter = created.chapters[0]!.id;

    assert.equal((await call('getMe', '/api/v1/me', as(r))).json().user.login, 'op_reader');

    // Kudos: once, not on one's own work, not when blocked.
    const kudos = await call('giveKudos', `/api/v1/works/${work}/kudos`, as(r));
    assert.equal(kudos.statusCode, 201);
    assert.equal(kudos.json().kudos.given, true);
    assert.equal((await call('giveKudos', `/api/v1/works/${work}/kudos`, as(r))).json().kudos.given, false);
    assert.equal(await status('giveKudos', `/api/v1/works/${work}/kudos`, as(w)), 422);
    assert.equal(await status('giveKudos', '/api/v1/works/999999/kudos', as(r)), 404);
    await t.db
      .insertInto('blocks')
      .values({ user_id: await idOfUser('op_author'), blocked_user_id: await idOfUser('op_blocked') })
      .execute();
    assert.equal(await status('giveKudos', `/api/v1/works/${work}/kudos`, as(tokens.blocked!)), 403);

    // Comments: post (existing operation), edit, moderate, delete.
    const posted = await t.app.inject({ method: 'POST', url: `/api/v1/works/${work}/comments`, ...json({ comment: 'Lovely.' }, r) });
    const comment = posted.json().comment.id as number;
    assert.equal(await status('editComment', `/api/v1/comments/${comment}`, json({ comment: 'Lovely, truly.' }, r)), 200);
    assert.equal(await status('editComment', `/api/v1/comments/${comment}`, json({ comment: '  ' }, r)), 422);
    assert.equal(await status('editComment', `/api/v1/comments/${comment}`, json({ comment: 'Mine now.' }, w)), 403);
    assert.equal(await status('editComment', '/api/v1/comments/999999', json({ comment: 'x' }, r)), 404);
    const thread = (await t.app.inject({ method: 'GET', url: `/api/v1/works/${work}/comments` })).json();
    assert.equal(thread.comments[0].body_html, '<p>Lovely, truly.</p>');
    assert.equal(thread.comments[0].edited, true);

    const frozen = await call('moderateComment', `/api/v1/comments/${comment}/moderation`, json({ action: 'freeze' }, w));
    assert.equal(frozen.statusCode, 200);
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/works/${work}/comments` })).json().comments[0].frozen, true);
    assert.equal(await status('moderateComment', `/api/v1/comments/${comment}/moderation`, json({ action: 'delete' }, w)), 422);
    assert.equal(await status('moderateComment', `/api/v1/comments/${comment}/moderation`, json({ action: 'unfreeze' }, r)), 403);
    assert.equal(await status('moderateComment', '/api/v1/comments/999999/moderation', json({ action: 'hide' }, w)), 404);
    assert.equal(await status('deleteComment', `/api/v1/comments/${comment}`, as(tokens.blocked!)), 403);
    assert.equal(await status('deleteComment', `/api/v1/comments/${comment}`, as(r)), 204);
    assert.equal(await status('deleteComment', `/api/v1/comments/${comment}`, as(r)), 404);

    // Bookmarks.
    const external = await call(
      'createExternalBookmark',
      '/api/v1/bookmarks/external',
      json({ url: 'https://example.org/story', title: 'Elsewhere', creator: 'someone', tags: ['far'] }, r),
    );
    assert.equal(external.statusCode, 201);
    assert.equal(
      await status('createExternalBookmark', '/api/v1/bookmarks/external', json({ url: 'ftp://x', title: 't', creator: 'c' }, r)),
      422,
    );
    const saved = await t.app.inject({ method: 'POST', url: `/api/v1/works/${work}/bookmarks`, ...json({ notes: 'Yes.' }, r) });
    const bookmark = saved.json().bookmark.id as number;
    assert.equal(await status('deleteBookmark', `/api/v1/bookmarks/${bookmark}`, as(w)), 403);
    assert.equal(await status('deleteBookmark', `/api/v1/bookmarks/${bookmark}`, as(r)), 204);
    assert.equal(await status('deleteBookmark', `/api/v1/bookmarks/${bookmark}`, as(r)), 404);

    // Marked for later, reading history, position.
    assert.equal(await status('markForLater', `/api/v1/works/${work}/mark_for_later`, json({ to_read: true }, r)), 200);
    assert.equal(await status('markForLater', `/api/v1/works/${work}/mark_for_later`, json({}, r)), 422);
    assert.equal(await status('markForLater', '/api/v1/works/999999/mark_for_later', json({ to_read: true }, r)), 404);
    const list = await call('listReadings', '/api/v1/me/readings', as(r));
    assert.deepEqual(
      list.json().readings.map((x: { work_id: number }) => x.work_id),
      [work],
    );
    assert.equal(await status('listReadings', '/api/v1/me/readings?show=everything', as(r)), 422);
    assert.equal(await status('listReadings', '/api/v1/me/readings?cursor=nonsense', as(r)), 422);
    assert.equal(await status('clearReadingHistory', '/api/v1/me/readings/history', as(r)), 204);

    assert.equal(await status('getPosition', `/api/v1/works/${work}/position`, as(r)), 404);
    const place = await call('savePosition', `/api/v1/works/${work}/position`, json({ chapter_id: chapter, paragraph: 3 }, r));
    assert.equal(place.statusCode, 200);
    assert.match(place.json().position.url, new RegExp(`/works/${work}/chapters/${chapter}#position-3$`));
    assert.deepEqual((await call('getPosition', `/api/v1/works/${work}/position`, as(r))).json(), place.json());
    assert.equal(await status('savePosition', `/api/v1/works/${work}/position`, json({ chapter_id: 999999 }, r)), 404);
    assert.equal(await status('savePosition', `/api/v1/works/${work}/position`, json({ paragraph: 2 }, r)), 422);
    assert.equal(await status('getPosition', '/api/v1/works/999999/position', as(r)), 404);

    // Subscriptions.
    assert.equal(await status('subscribe', '/api/v1/me/subscriptions', json({ kind: 'work', id: work }, r)), 201);
    assert.equal(await status('subscribe', '/api/v1/me/subscriptions', json({ kind: 'work', id: work }, r)), 200);
    assert.equal(await status('subscribe', '/api/v1/me/subscriptions', json({ kind: 'work', id: 999999 }, r)), 404);
    assert.equal(await status('subscribe', '/api/v1/me/subscriptions', json({ kind: 'planet', id: 1 }, r)), 422);
    const subs = await call('listSubscriptions', '/api/v1/me/subscriptions', as(r));
    assert.deepEqual(
      subs.json().subscriptions.map((s: { kind: string; id: number }) => [s.kind, s.id]),
      [['work', work]],
    );
    assert.equal(await status('unsubscribe', `/api/v1/me/subscriptions/work/${work}`, as(r)), 204);
    assert.equal(await status('unsubscribe', `/api/v1/me/subscriptions/work/${work}`, as(r)), 404);

    // The author's inbox has the reader's new comment.
    await t.app.inject({ method: 'POST', url: `/api/v1/works/${work}/comments`, ...json({ comment: 'Still lovely.' }, r) });
    const inbox = await call('listInbox', '/api/v1/me/inbox', as(w));
    assert.equal(inbox.statusCode, 200);
    const items = inbox.json().items as Array<{ id: number; read: boolean }>;
    assert.ok(items.length >= 1);
    assert.equal(await status('listInbox', '/api/v1/me/inbox?filter=starred', as(w)), 422);
    assert.equal(
      (await call('updateInbox', '/api/v1/me/inbox', json({ action: 'read', ids: items.map((i) => i.id) }, w))).json().changed,
      items.length,
    );
    assert.equal(await status('updateInbox', '/api/v1/me/inbox', json({ action: 'read', ids: [] }, w)), 422);
    assert.equal((await call('listInbox', '/api/v1/me/inbox?filter=unread', as(w))).json().unread, 0);
    assert.equal(await status('readInboxItem', `/api/v1/me/inbox/${items[0]!.id}/read`, as(w)), 200);
    assert.equal(await status('readInboxItem', `/api/v1/me/inbox/${items[0]!.id}/read`, as(r)), 404, "someone else's item");
    assert.equal(await status('deleteInboxItem', `/api/v1/me/inbox/${items[0]!.id}`, as(w)), 204);
    assert.equal(await status('deleteInboxItem', `/api/v1/me/inbox/${items[0]!.id}`, as(w)), 404);
  });

  it('pages with a cursor and Link headers', async () => {
    const r = await personalToken('op_pager');
    const w = await spare();
    const ids: number[] = [];
    for (let i = 0; i < 22; i += 1) ids.push((await createWork(w, { title: `Pile ${i}` })).work.id);
    const user = await idOfUser('op_pager');
    await t.db
      .insertInto('readings')
      .values(ids.map((work_id) => ({ user_id: user, work_id, to_read: true })))
      .execute();
    const first = await call('listReadings', '/api/v1/me/readings?show=to-read', as(r));
    assert.equal(first.json().readings.length, 20);
    const link = String(first.headers.link);
    assert.match(link, /rel="next"/);
    assert.doesNotMatch(link, /rel="prev"/);
    const next = /<([^>]+)>; rel="next"/.exec(link)![1]!;
    assert.match(next, /show=to-read/);
    const second = await call('listReadings', next, as(r));
    assert.equal(second.json().readings.length, 2);
    assert.match(String(second.headers.link), /rel="prev"/);
    assert.doesNotMatch(String(second.headers.link), /rel="next"/);
    const all = [...first.json().readings, ...second.json().readings].map((x: { work_id: number }) => x.work_id);
    assert.deepEqual(
      [...all].sort((a, b) => a - b),
      ids,
    );
  });

  it('manages mutes, blocks, saved searches, filters, stats and preferences', async () => {
    const r = await personalToken('op_settings');
    await personalToken('op_someone');
    for (const [path, verb] of [
      ['muted', 'mute'],
      ['blocked', 'block'],
    ] as const) {
      const Rel = path === 'muted' ? 'Muted' : 'Blocked';
      assert.equal(await status(`${verb}User`, `/api/v1/me/${path}/op_someone`, as(r)), 200);
      assert.deepEqual(
        (await call(`list${Rel}`, `/api/v1/me/${path}`, as(r))).json().users.map((u: { login: string }) => u.login),
        ['op_someone'],
      );
      assert.equal(await status(`${verb}User`, `/api/v1/me/${path}/nobody_at_all`, as(r)), 422);
      assert.equal(await status(`${verb}User`, `/api/v1/me/${path}/op_settings`, as(r)), 422);
      assert.equal(await status(`un${verb}User`, `/api/v1/me/${path}/op_someone`, as(r)), 204);
      assert.deepEqual((await call(`list${Rel}`, `/api/v1/me/${path}`, as(r))).json().users, []);
    }

    const saved = await call('createSavedSearch', '/api/v1/me/saved_searches', json({ name: 'Grief', query: 'q=grief&sort=updated' }, r));
    assert.equal(saved.statusCode, 201);
    assert.equal(await status('createSavedSearch', '/api/v1/me/saved_searches', json({ name: '', query: 'q=x' }, r)), 422);
    assert.equal(await status('createSavedSearch', '/api/v1/me/saved_searches', json({ name: 'Broken', query: 'q=%22unclosed' }, r)), 422);
    const searches = (await call('listSavedSearches', '/api/v1/me/saved_searches', as(r))).json().saved_searches;
    assert.equal(searches[0].name, 'Grief');
    assert.match(searches[0].feed_url, /feed\.atom\?token=/);
    assert.equal(await status('deleteSavedSearch', `/api/v1/me/saved_searches/${saved.json().saved_search.id}`, as(r)), 204);
    assert.equal(await status('deleteSavedSearch', `/api/v1/me/saved_searches/${saved.json().saved_search.id}`, as(r)), 404);

    await createWork(await spare(), { title: 'Tagged' }); // makes the Grief freeform a tag readers see
    const filters = await call('addFilter', '/api/v1/me/filters', json({ kind: 'tag', name: 'Grief' }, r));
    assert.equal(filters.statusCode, 201, filters.body);
    const hidden = filters.json().filters[0];
    assert.equal(await status('addFilter', '/api/v1/me/filters', json({ kind: 'tag', name: 'No Such Tag Anywhere' }, r)), 422);
    assert.equal((await call('listFilters', '/api/v1/me/filters', as(r))).json().filters.length, 1);
    assert.equal(await status('removeFilter', `/api/v1/me/filters/tag/${hidden.id}`, as(r)), 204);
    assert.equal(await status('removeFilter', `/api/v1/me/filters/planet/${hidden.id}`, as(r)), 404);
    assert.deepEqual((await call('listFilters', '/api/v1/me/filters', as(r))).json().filters, []);

    const stats = await call('getStats', '/api/v1/me/stats?days=7', as(tokens.writer!));
    assert.equal(stats.statusCode, 200);
    assert.equal(stats.json().daily.length, 7);
    assert.ok(stats.json().works.length >= 1);
    assert.equal(await status('getStats', '/api/v1/me/stats?days=8', as(r)), 422);

    assert.deepEqual(
      (await call('getPreferences', '/api/v1/me/preferences', as(r))).json().preferences.subscription_email !== undefined,
      true,
    );
    const changed = await call(
      'updatePreferences',
      '/api/v1/me/preferences',
      json({ history_enabled: false, subscription_email: 'digest' }, r),
    );
    assert.deepEqual(changed.json().preferences, { history_enabled: false, subscription_email: 'digest' });
    assert.equal(await status('updatePreferences', '/api/v1/me/preferences', json({ subscription_email: 'hourly' }, r)), 422);
  });

  it('runs the settings pages through the API: work skins, reading preferences, notification mail, pseuds', async () => {
    const w = await spare();
    const other = await spare();
    const { work: mine } = await createWork(w, { title: 'Skinned' });
    const { work: theirs } = await createWork(other, { title: 'Not Mine' });

    // Skins: a refused part is listed and nothing saved until accepted, as on the form.
    assert.equal(await status('createSkin', '/api/v1/me/skins', json({ title: '', css: 'p { color: red; }' }, w)), 422);
    const dropped = await call('createSkin', '/api/v1/me/skins', json({ title: 'Fixed', css: 'p { position: fixed; color: red; }' }, w));
    assert.equal(dropped.statusCode, 422);
    assert.match(dropped.json().errors.css, /accept_dropped/);
    assert.deepEqual((await call('listSkins', '/api/v1/me/skins', as(w))).json().skins, []);
    const created = await call(
      'createSkin',
      '/api/v1/me/skins',
      json({ title: 'Fixed', css: 'p { position: fixed; color: red; }', accept_dropped: true }, w),
    );
    assert.equal(created.statusCode, 201, created.body);
    const skin = created.json().skin;
    assert.equal(skin.dropped.length, 1);
    assert.equal(created.headers.location, `http://archive.test/api/v1/me/skins/${skin.id}`);
    assert.equal((await call('getSkin', `/api/v1/me/skins/${skin.id}`, as(w))).json().skin.title, 'Fixed');
    assert.equal(await status('getSkin', `/api/v1/me/skins/${skin.id}`, as(other)), 404, "another's skin is not there");
    const updated = await call('updateSkin', `/api/v1/me/skins/${skin.id}`, json({ title: 'Red', css: 'p { color: red; }' }, w));
    assert.deepEqual(updated.json().skin.dropped, []);
    assert.equal(await status('updateSkin', `/api/v1/me/skins/${skin.id}`, json({ title: 'Red', css: ' ' }, w)), 422);
    assert.equal(await status('updateSkin', `/api/v1/me/skins/${skin.id}`, json({ title: 'Red', css: 'p { color: red; }' }, other)), 404);

    assert.deepEqual((await call('getWorkSkin', `/api/v1/works/${mine.id}/skin`, as(w))).json().work_skin, {
      work_id: mine.id,
      skin_id: null,
    });
    assert.equal(await status('getWorkSkin', `/api/v1/works/${theirs.id}/skin`, as(w)), 403);
    assert.equal(await status('getWorkSkin', '/api/v1/works/999999/skin', as(w)), 404);
    const chosen = await call('chooseWorkSkin', `/api/v1/works/${mine.id}/skin`, json({ skin_id: skin.id }, w));
    assert.deepEqual(chosen.json().work_skin, { work_id: mine.id, skin_id: skin.id });
    const page = await t.app.inject({ method: 'GET', url: `/works/${mine.id}` });
    assert.match(page.body, new RegExp(`/works/${mine.id}/skin\\.css`), 'the work page names its stylesheet');
    assert.equal(await status('chooseWorkSkin', `/api/v1/works/${theirs.id}/skin`, json({ skin_id: skin.id }, w)), 403);
    assert.equal(await status('chooseWorkSkin', '/api/v1/works/999999/skin', json({ skin_id: null }, w)), 404);
    assert.equal(await status('chooseWorkSkin', `/api/v1/works/${mine.id}/skin`, json({ example: 'no-such' }, w)), 422);
    const theirSkin = (await call('createSkin', '/api/v1/me/skins', json({ title: 'Theirs', css: 'p { color: blue; }' }, other))).json()
      .skin;
    assert.equal(await status('chooseWorkSkin', `/api/v1/works/${mine.id}/skin`, json({ skin_id: theirSkin.id }, w)), 422);
    const example = await call('chooseWorkSkin', `/api/v1/works/${mine.id}/skin`, json({ example: 'texting' }, w));
    assert.equal(example.statusCode, 200);
    assert.equal((await call('listSkins', '/api/v1/me/skins', as(w))).json().skins.length, 2, 'the example was copied into the skins');
    assert.equal(await status('chooseWorkSkin', `/api/v1/works/${mine.id}/skin`, json({ skin_id: skin.id }, w)), 200);
    assert.equal(await status('deleteSkin', `/api/v1/me/skins/${skin.id}`, as(w)), 204);
    assert.equal(await status('deleteSkin', `/api/v1/me/skins/${skin.id}`, as(w)), 404);
    assert.equal((await call('getWorkSkin', `/api/v1/works/${mine.id}/skin`, as(w))).json().work_skin.skin_id, null);

    // Reading preferences: a change on top of what is saved, checked by the page's schema.
    const reading = await call('getReadingPreferences', '/api/v1/me/reading_preferences', as(w));
    assert.equal(reading.json().reading_preferences.theme, 'system');
    const darker = await call(
      'updateReadingPreferences',
      '/api/v1/me/reading_preferences',
      json({ theme: 'dark', hide_warnings: true }, w),
    );
    assert.deepEqual(darker.json().reading_preferences, {
      show_adult: false,
      hide_warnings: true,
      hide_freeforms: false,
      text_size: 'medium',
      line_width: 'medium',
      font: 'serif',
      theme: 'dark',
    });
    const larger = await call('updateReadingPreferences', '/api/v1/me/reading_preferences', json({ text_size: 'large' }, w));
    assert.equal(larger.json().reading_preferences.theme, 'dark', 'what was not sent stays');
    const refused = await call('updateReadingPreferences', '/api/v1/me/reading_preferences', json({ theme: 'purple' }, w));
    assert.equal(refused.statusCode, 422);
    assert.match(refused.json().errors.theme, /theme/);

    // Notification mail.
    assert.deepEqual((await call('getNotificationSettings', '/api/v1/me/notification_settings', as(w))).json().notification_settings, {
      comments: 'each',
      replies: 'each',
      kudos: 'each',
      gifts: 'each',
      related_works: 'each',
    });
    const quieter = await call('updateNotificationSettings', '/api/v1/me/notification_settings', json({ kudos: 'off' }, w));
    assert.deepEqual(quieter.json().notification_settings, {
      comments: 'each',
      replies: 'each',
      kudos: 'off',
      gifts: 'each',
      related_works: 'each',
    });
    assert.equal(await status('updateNotificationSettings', '/api/v1/me/notification_settings', json({ kudos: 'hourly' }, w)), 422);

    // Pseuds.
    const pseud = await call('createPseud', '/api/v1/me/pseuds', json({ name: '  Night   Owl ' }, w));
    assert.equal(pseud.statusCode, 201, pseud.body);
    assert.equal(pseud.json().pseud.name, 'Night Owl');
    assert.equal(await status('createPseud', '/api/v1/me/pseuds', json({ name: 'night owl' }, w)), 422);
    assert.equal(await status('createPseud', '/api/v1/me/pseuds', json({ name: '!bang' }, w)), 422);
    const pseuds = (await call('listPseuds', '/api/v1/me/pseuds', as(w))).json().pseuds;
    assert.equal(pseuds.length, 2);
    assert.equal(pseuds[0].default, true);
  });

  /** A request for each operation that reaches its checks: the path's ids exist or not, it does not matter before them. */
  const anyRequest = (path: string) =>
    path.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'login' ? 'op_reader' : name === 'kind' ? 'work' : '999999'));

  it('answers every operation the same way without a token, without its scope, and with a body that is not JSON', async () => {
    const scoped = await personalToken('op_scoped');
    const readOnly = await appToken('op_scoped', ['read']);
    const readOnly2 = await appToken('op_scoped', ['read']);
    let used = 0;
    let writer = await spare();
    for (const id of OPERATION_IDS) {
      const { method, path, op } = api.operations.get(id)!;
      if (!path.startsWith('/api/v1/')) continue;
      const url = anyRequest(path);
      const hasBody = op.requestBody !== undefined;
      const body = hasBody ? op.requestBody!.content['application/json']!.example : undefined;
      // No token.
      const none = await call(id, url, hasBody ? json(body, null) : {});
      assert.equal(none.statusCode, 401, `${id} without a token`);
      assert.match(String(none.headers['www-authenticate']), /^Bearer/);
      // An app allowed only "read": a write is refused before anything else, naming the scope.
      if (op.responses['403'] && method !== 'get') {
        const refused = await call(
          id,
          url,
          hasBody ? json(body, used++ % 2 ? readOnly : readOnly2) : as(used++ % 2 ? readOnly : readOnly2),
        );
        assert.equal(refused.statusCode, 403, `${id} with a read-only app token`);
        assert.match(String(refused.headers['www-authenticate']), /insufficient_scope/);
      }
      if (hasBody) {
        if (used > 40) {
          writer = await spare();
          used = 0;
        }
        used += 2;
        assert.equal((await call(id, url, json('{"oops":', writer))).statusCode, 400, `${id} with broken JSON`);
        assert.equal((await call(id, url, json('hello', writer, 'text/plain'))).statusCode, 415, `${id} with text`);
      }
    }
    void scoped;
  });

  it('rate limits every operation with a documented 429 and RateLimit headers', async () => {
    for (const id of OPERATION_IDS) {
      const { method, path, op } = api.operations.get(id)!;
      const max = path.startsWith('/api/oauth/') ? 60 : method === 'get' ? READS_PER_MINUTE : WRITES_PER_MINUTE;
      const url = path.startsWith('/api/oauth/') ? path : anyRequest(path);
      const request: InjectOptions = {
        method: method.toUpperCase() as 'GET',
        url,
        remoteAddress: '10.9.9.9',
        ...(op.requestBody && path.startsWith('/api/oauth/')
          ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' }
          : {}),
      };
      // Until the limit answers (a window that resets on a busy machine just takes another round).
      for (let i = 0; i < 3 * max; i += 1) if ((await t.app.inject(request)).statusCode === 429) break;
      const limited = await api.call(id, request);
      assert.equal(limited.statusCode, 429, id);
      assert.ok(Number(limited.headers['retry-after']) > 0, `${id} says when to retry`);
    }
  });

  it('has every documented status of these operations produced by some request above', async () => {
    // The OAuth endpoints' own statuses, through the documented operation.
    const form = (payload: Record<string, string>) => ({
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(payload).toString(),
    });
    assert.equal(
      await status('exchangeOAuthToken', '/api/oauth/token', form({ grant_type: 'refresh_token', refresh_token: 'x', client_id: 'nope' })),
      400,
    );
    assert.equal(await status('revokeOAuthToken', '/api/oauth/revoke', form({ token: 'x', client_id: 'nope' })), 401);
    assert.equal(await status('revokeOAuthToken', '/api/oauth/revoke', form({})), 400);
    const owner = await idOfUser('op_reader');
    const clientId = `ffc_${newToken().slice(0, 20)}`;
    await t.db
      .insertInto('oauth_apps')
      .values({ client_id: clientId, owner_user_id: owner, name: 'x', redirect_uri: 'https://x.example/cb' })
      .execute();
    assert.equal(await status('revokeOAuthToken', '/api/oauth/revoke', form({ token: 'x', client_id: clientId })), 200);
    assert.equal(
      await status(
        'exchangeOAuthToken',
        '/api/oauth/token',
        form({ grant_type: 'refresh_token', refresh_token: 'x', client_id: clientId }),
      ),
      400,
    );
    // A whole exchange runs in src/oauth/oauth.routes.test.ts; here its answer is checked against the document.
    const refresh = `ffr_${newToken()}`;
    const app = await t.db.selectFrom('oauth_apps').select('id').where('client_id', '=', clientId).executeTakeFirstOrThrow();
    await t.db
      .insertInto('oauth_tokens')
      .values({
        access_token_hash: hashToken(`ffa_${newToken()}`),
        access_expires_at: new Date(Date.now() + 3600_000),
        refresh_token_hash: hashToken(refresh),
        refresh_expires_at: new Date(Date.now() + 86400_000),
        app_id: app.id,
        user_id: owner,
        scopes: ['read'],
      })
      .execute();
    assert.equal(
      await status(
        'exchangeOAuthToken',
        '/api/oauth/token',
        form({ grant_type: 'refresh_token', refresh_token: refresh, client_id: clientId }),
      ),
      200,
    );
    assert.deepEqual(api.unseen(OPERATION_IDS), []);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { makeAdmin, makeModerator, workIdOf } from '../../test/staff.ts';

describe('moderation', () => {
  let t: TestApp;
  let creator: TestVisitor;
  let reader: TestVisitor;
  let moderator: TestVisitor;
  let admin: TestVisitor;
  let workId: number;

  before(async () => {
    t = await createTestApp({ PAGE_CACHE: 'off' });
    creator = await new TestVisitor(t.app).signUp('creator');
    reader = await new TestVisitor(t.app).signUp('reader');
    moderator = await new TestVisitor(t.app).signUp('moddy');
    admin = await new TestVisitor(t.app).signUp('boss');
    await makeModerator(t.db, 'moddy');
    await makeAdmin(t.db, 'boss');
    const posted = await creator.post('/works', buildWorkForm({ title: 'Reported Work' }));
    workId = workIdOf(posted.headers.location);
  });
  after(() => t.close());

  it('lets a reader report a work, and shows it in the queue to moderators only', async () => {
    const form = await reader.get(`/reports/new?type=work&id=${workId}`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Reported Work/);
    const bad = await reader.post('/reports', { target_type: 'work', target_id: String(workId), reason: 'Because', details: 'kept text' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /kept text/);
    const sent = await reader.post('/reports', {
      target_type: 'work',
      target_id: String(workId),
      reason: 'Spam',
      details: 'It is an advert.',
    });
    assert.equal(sent.statusCode, 303);
    assert.equal(
      (await new TestVisitor(t.app).post('/reports', { target_type: 'work', target_id: String(workId), reason: 'Spam' })).statusCode,
      401,
    );
    assert.equal((await reader.get('/moderation')).statusCode, 403);
    assert.equal((await new TestVisitor(t.app).get('/moderation')).statusCode, 401);
    const queue = await moderator.get('/moderation');
    assert.equal(queue.statusCode, 200);
    assert.match(queue.body, /It is an advert\./);
    assert.match(queue.body, /from reader/);
  });

  it('hides a work with a reason: 404 for others, visible with the reason to its creator and staff', async () => {
    assert.equal((await moderator.post(`/moderation/works/${workId}/hide`, { reason: '' })).statusCode, 422);
    const hidden = await moderator.post(`/moderation/works/${workId}/hide`, { reason: 'Advertising is against the content policy.' });
    assert.equal(hidden.statusCode, 303);
    assert.equal((await reader.get(`/works/${workId}`)).statusCode, 404);
    assert.equal((await new TestVisitor(t.app).get(`/works/${workId}`)).statusCode, 404);
    const own = await creator.get(`/works/${workId}`);
    assert.equal(own.statusCode, 200);
    assert.match(own.body, /Advertising is against the content policy\./);
    assert.equal((await moderator.get(`/works/${workId}`)).statusCode, 200);
    assert.equal((await admin.get(`/works/${workId}`)).statusCode, 200);
    assert.equal((await reader.get(`/api/v1/works/${workId}`)).statusCode, 404);
    assert.doesNotMatch((await reader.get('/works')).body, /Reported Work/, 'hidden works are in no listing');
    const unhide = await moderator.post(`/moderation/works/${workId}/unhide`, { reason: 'Appeal accepted' });
    assert.equal(unhide.statusCode, 303);
    assert.equal((await reader.get(`/works/${workId}`)).statusCode, 200);
    assert.match((await reader.get('/works')).body, /Reported Work/);
  });

  it('suspends a user with a message: their session ends and logging in shows the message', async () => {
    const victim = await new TestVisitor(t.app).signUp('troll');
    assert.equal((await reader.post('/moderation/users/troll/suspend', { duration: '7', message: 'x' })).statusCode, 403);
    assert.equal((await moderator.post('/moderation/users/boss/suspend', { duration: '7', message: 'x' })).statusCode, 403);
    const r = await moderator.post('/moderation/users/troll/suspend', {
      duration: '7',
      message: 'Cool off for a week.',
      reason: 'harassment',
    });
    assert.equal(r.statusCode, 303);
    assert.equal((await victim.post('/works', buildWorkForm())).statusCode, 401);
    const login = await new TestVisitor(t.app).post('/login', { login: 'troll', password: 'correct horse battery' });
    assert.equal(login.statusCode, 403);
    assert.match(login.body, /Cool off for a week\./);
    assert.match(login.body, /suspended until/);
    const ban = await moderator.post('/moderation/users/troll/suspend', { duration: 'permanent', message: 'Gone for good.' });
    assert.equal(ban.statusCode, 303);
    const again = await new TestVisitor(t.app).post('/login', { login: 'troll', password: 'correct horse battery' });
    assert.match(again.body, /suspended permanently/);
    assert.equal((await moderator.post('/moderation/users/troll/unsuspend', { reason: 'appeal' })).statusCode, 303);
    assert.equal((await new TestVisitor(t.app).post('/login', { login: 'troll', password: 'correct horse battery' })).statusCode, 303);
  });

  it('lets only admins grant roles, and marks reports handled', async () => {
    assert.equal((await moderator.post('/moderation/users/reader/roles', { role: 'moderator', grant: 'grant' })).statusCode, 403);
    assert.equal((await admin.post('/moderation/users/reader/roles', { role: 'moderator', grant: 'grant' })).statusCode, 303);
    assert.equal((await reader.get('/moderation')).statusCode, 200);
    assert.equal((await admin.post('/moderation/users/reader/roles', { role: 'moderator', grant: 'revoke' })).statusCode, 303);
    assert.equal((await reader.get('/moderation')).statusCode, 403);
    const report = await t.db.selectFrom('reports').select('id').executeTakeFirstOrThrow();
    assert.equal((await moderator.post(`/moderation/reports/${report.id}/handled`, { note: 'hidden, then appealed' })).statusCode, 303);
    assert.doesNotMatch((await moderator.get('/moderation')).body, /It is an advert\./);
  });

  it('records every action in an audit log that the database refuses to change', async () => {
    const log = await admin.get('/admin/audit');
    assert.equal(log.statusCode, 200);
    for (const action of [
      'hide_work',
      'unhide_work',
      'suspend_user',
      'ban_user',
      'lift_suspension',
      'grant_role',
      'revoke_role',
      'handle_report',
    ]) {
      assert.match(log.body, new RegExp(action));
    }
    assert.match(log.body, /Advertising is against the content policy\./);
    assert.equal((await reader.get('/admin/audit')).statusCode, 403);
    await assert.rejects(sql`update audit_log set reason = 'rewritten'`.execute(t.db), /append-only/);
    await assert.rejects(sql`delete from audit_log`.execute(t.db), /append-only/);
    await assert.rejects(sql`truncate audit_log`.execute(t.db), /append-only/);
    const rows = await t.db.selectFrom('audit_log').select('reason').where('action', '=', 'hide_work').execute();
    assert.deepEqual(
      rows.map((r) => r.reason),
      ['Advertising is against the content policy.'],
    );
  });

  it('lets staff delete a work for good, logged with its title', async () => {
    const posted = await creator.post('/works', buildWorkForm({ title: 'Doomed' }));
    const id = workIdOf(posted.headers.location);
    assert.equal((await moderator.post(`/moderation/works/${id}/delete`, { reason: 'Plagiarised.' })).statusCode, 303);
    assert.equal((await creator.get(`/works/${id}`)).statusCode, 404);
    const row = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'delete_work').executeTakeFirstOrThrow();
    assert.equal(row.target_id, String(id));
    assert.deepEqual((row.details as { title: string }).title, 'Doomed');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { postWork, quickUser } from '../comments/interactions.test-helpers.ts';

describe('muting and blocking', () => {
  let t: TestApp;
  let loud: TestVisitor;
  let reader: TestVisitor;
  before(async () => {
    t = await createTestApp();
    loud = await new TestVisitor(t.app).signUp('loud_writer');
    reader = await quickUser(t, 'quiet_reader');
    await postWork(loud, { title: 'Loud Work' });
  });
  after(() => t.close());

  it('hides a muted user’s works from the muter’s listings only, until unmuted', async () => {
    assert.match((await reader.get('/works')).body, /Loud Work/);
    const r = await reader.post('/users/quiet_reader/muted', { action: 'add', user: 'loud_writer' });
    assert.equal(r.statusCode, 303);
    const page = await reader.get('/users/quiet_reader/muted');
    assert.match(page.body, /loud_writer<\/a> \(since/);
    assert.doesNotMatch((await reader.get('/works')).body, /Loud Work/);
    assert.doesNotMatch((await reader.get('/tags/Fluff/works')).body, /Loud Work/);
    assert.match((await new TestVisitor(t.app).get('/works')).body, /Loud Work/);
    assert.equal((await reader.post('/users/quiet_reader/muted', { action: 'remove', user: 'loud_writer' })).statusCode, 303);
    assert.match((await reader.get('/works')).body, /Loud Work/);
  });

  it('manages blocks, refusing unknown users and oneself with a message beside the field', async () => {
    const unknown = await reader.post('/users/quiet_reader/blocked', { action: 'add', user: 'nobody_here' });
    assert.equal(unknown.statusCode, 422);
    assert.match(unknown.body, /There is no user called “nobody_here”/);
    assert.match(unknown.body, /value="nobody_here"/);
    const self = await reader.post('/users/quiet_reader/blocked', { action: 'add', user: 'quiet_reader' });
    assert.equal(self.statusCode, 422);
    assert.match(self.body, /cannot block yourself/);
    assert.equal((await reader.post('/users/quiet_reader/blocked', { action: 'add', user: 'loud_writer' })).statusCode, 303);
    assert.equal((await reader.post('/users/quiet_reader/blocked', { action: 'add', user: 'loud_writer' })).statusCode, 303, 'idempotent');
    assert.match((await reader.get('/users/quiet_reader/blocked')).body, /loud_writer/);
    assert.equal((await loud.get('/users/quiet_reader/blocked')).statusCode, 403);
    assert.equal((await loud.post('/users/quiet_reader/blocked', { action: 'remove', user: 'loud_writer' })).statusCode, 403);
  });

  it('stops a blocked user replying to the blocker’s comments on someone else’s work', async () => {
    const host = await quickUser(t, 'neutral_host');
    const other = await postWork(host, { title: 'Neutral Ground' });
    const comment = await reader.post(`/works/${other}/comments`, { comment: 'My opinion' });
    const id = Number(/#comment-(\d+)$/.exec(String(comment.headers.location))![1]);
    const reply = await loud.post(`/works/${other}/comments`, { comment: 'Disagree', parent_id: String(id) });
    assert.equal(reply.statusCode, 403);
    assert.match(reply.body, /commenter has blocked you/);
  });
});

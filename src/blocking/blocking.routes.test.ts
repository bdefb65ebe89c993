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

  it('hides a muted creator’s works from the muter’s search results, sidebar counts, series pages and bookmarks listings', async () => {
    const calm = await quickUser(t, 'calm_writer');
    await postWork(calm, { title: 'Calm Work', fandoms: 'Muting Fandom', freeforms: 'Quiet' });
    const loudId = await postWork(loud, { title: 'Loud Search Work', fandoms: 'Muting Fandom', freeforms: 'Noisy' });
    const series = await loud.post('/series', { title: 'Loud Saga', work_id: String(loudId) });
    assert.equal(series.statusCode, 303);
    const seriesPath = String(series.headers.location);
    const watcher = await quickUser(t, 'muting_watcher');
    const url = '/works/search?fandoms=Muting+Fandom';
    // Before muting (and so with counts cached for the muter's hidden set of none).
    assert.match((await reader.get(url)).body, /Loud Search Work[\s\S]*of 2 works found|of 2 works found[\s\S]*Loud Search Work/);
    assert.equal((await watcher.post(`/works/${loudId}/bookmarks`, { tags: 'loud' })).statusCode, 303);
    assert.equal((await reader.post('/users/quiet_reader/muted', { action: 'add', user: 'loud_writer' })).statusCode, 303);

    const muted = await reader.get(url);
    assert.equal(muted.statusCode, 200);
    assert.doesNotMatch(muted.body, /Loud Search Work/);
    assert.match(muted.body, /Calm Work/);
    assert.match(muted.body, /of 1 work found|1 work found/);
    assert.match(muted.body, /<span class="facet-name">Muting Fandom<\/span> <span class="facet-count">\(1\)<\/span>/);
    assert.doesNotMatch(muted.body, /<span class="facet-name">Noisy<\/span>/, 'the muted creator’s tags are not counted');
    assert.doesNotMatch((await reader.get('/works/search?q=Loud')).body, /Loud Search Work/);

    for (const other of [new TestVisitor(t.app), watcher]) {
      const page = await other.get(url);
      assert.match(page.body, /Loud Search Work/);
      assert.match(page.body, /of 2 works found/);
      assert.match(page.body, /<span class="facet-name">Noisy<\/span> <span class="facet-count">\(1\)<\/span>/);
    }
    // Series page and someone else's bookmarks: the work is gone for the muter, not for others.
    assert.doesNotMatch((await reader.get(seriesPath)).body, /Loud Search Work/);
    assert.match((await watcher.get(seriesPath)).body, /Loud Search Work/);
    assert.doesNotMatch((await reader.get('/users/muting_watcher/bookmarks')).body, /Loud Search Work/);
    assert.match((await new TestVisitor(t.app).get('/users/muting_watcher/bookmarks')).body, /Loud Search Work/);

    assert.equal((await reader.post('/users/quiet_reader/muted', { action: 'remove', user: 'loud_writer' })).statusCode, 303);
    assert.match((await reader.get(url)).body, /Loud Search Work/);
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

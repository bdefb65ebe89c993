import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { workIdOf } from '../../test/staff.ts';

describe('co-creators: invitations answered by the invitee, co-creators edit, each may leave but not the last; orphaning', () => {
  let t: TestApp;
  let ann: TestVisitor;
  let ben: TestVisitor;
  let cat: TestVisitor;
  const guest = () => new TestVisitor(t.app);

  const post = async (visitor: TestVisitor, title: string, overrides: Record<string, string> = {}) => {
    const r = await visitor.post('/works', buildWorkForm({ title, ...overrides }));
    assert.equal(r.statusCode, 303, r.body.slice(0, 300));
    return workIdOf(r.headers.location);
  };
  const invitationIds = async (visitor: TestVisitor) =>
    [...(await visitor.get('/co_creator_invitations')).body.matchAll(/\/co_creator_invitations\/(\d+)\/accept/g)].map((m) => Number(m[1]));
  const audit = async () =>
    (await t.db.selectFrom('audit_log').select(['action', 'target_id']).orderBy('id').execute()).map((r) => r.action);

  before(async () => {
    t = await createTestApp({ PAGE_CACHE: 'off' });
    ann = await new TestVisitor(t.app).signUp('ann_writes');
    ben = await new TestVisitor(t.app).signUp('ben_writes');
    cat = await new TestVisitor(t.app).signUp('cat_writes');
  });
  after(() => t.close());

  it('invites a pseud; only after accepting is the invitee credited and able to edit the work and its chapters', async () => {
    const work = await post(ann, 'Shared Story');
    const page = await ann.get(`/works/${work}/creators`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Invite a co-creator/);
    assert.match((await ann.get(`/works/${work}`)).body, new RegExp(`href="/works/${work}/creators"`));

    const unknown = await ann.post(`/works/${work}/creators/invitations`, { pseud: 'nobody_at_all' });
    assert.equal(unknown.statusCode, 422);
    assert.match(unknown.body, /There is no pseud or user called “nobody_at_all”/);
    assert.match(unknown.body, /value="nobody_at_all"/);
    assert.equal((await ann.post(`/works/${work}/creators/invitations`, { pseud: '  ' })).statusCode, 422);
    assert.equal((await ben.post(`/works/${work}/creators/invitations`, { pseud: 'cat_writes' })).statusCode, 403);
    assert.equal((await guest().post(`/works/${work}/creators/invitations`, { pseud: 'cat_writes' })).statusCode, 401);
    assert.equal((await ann.post(`/works/${work}/creators/invitations`, { pseud: 'ann_writes' })).statusCode, 422);
    assert.equal((await ann.post(`/works/${work}/creators/invitations`, { pseud: 'orphan_account' })).statusCode, 422);

    const forged = await ann.post(`/works/${work}/creators/invitations`, { pseud: 'ben_writes', _csrf: 'not-the-token' });
    assert.equal(forged.statusCode, 403, 'a form without its CSRF token is refused');
    const invited = await ann.post(`/works/${work}/creators/invitations`, { pseud: 'ben_writes' });
    assert.equal(invited.statusCode, 303);
    const again = await ann.post(`/works/${work}/creators/invitations`, { pseud: 'BEN_WRITES' });
    assert.equal(again.statusCode, 422);
    assert.match(again.body, /invited already/);

    // Invited is not credited: no edits yet, and the work's byline is unchanged.
    assert.equal((await ben.get(`/works/${work}/edit`)).statusCode, 403);
    assert.doesNotMatch((await guest().get(`/works/${work}`)).body, /ben_writes/);
    assert.match((await ann.get(`/works/${work}/creators`)).body, /Invited, not answered yet/);
    const inbox = await ben.get('/users/ben_writes/inbox');
    assert.match(inbox.body, /ann_writes invited ben_writes to be a co-creator of the work “Shared Story”/);

    const [invitation] = await invitationIds(ben);
    assert.ok(invitation);
    // The change log is read by raw SQL in src/search (it is not in the Database type).
    const logged = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from search_changes where work_id = ${work}`.execute(t.db)).rows[0]!.n;
    const loggedBefore = await logged();
    assert.equal((await cat.post(`/co_creator_invitations/${invitation}/accept`)).statusCode, 404);
    const accepted = await ben.post(`/co_creator_invitations/${invitation}/accept`);
    assert.equal(accepted.statusCode, 303);
    assert.equal(accepted.headers.location, `/works/${work}`);
    assert.match((await guest().get(`/works/${work}`)).body, /ann_writes<\/a>, <a rel="author"[^>]*>ben_writes/);
    assert.match((await ann.get('/users/ann_writes/inbox')).body, /ben_writes accepted your invitation to co-create “Shared Story”/);
    assert.equal((await ben.post(`/co_creator_invitations/${invitation}/accept`)).statusCode, 404);
    // The search change log names the work, so the facet index re-reads it on its next catch-up.
    assert.ok((await logged()) > loggedBefore);
    assert.match((await guest().get('/users/ben_writes/works/feed.atom')).body, /Shared Story/);

    // The co-creator edits the work and its chapter.
    const edited = await ben.post(`/works/${work}`, buildWorkForm({ title: 'Shared Story, Revised' }));
    assert.equal(edited.statusCode, 303, edited.body.slice(0, 400));
    const chapters = await t.db.selectFrom('chapters').select('id').where('work_id', '=', work).execute();
    const chapter = await ben.post(`/works/${work}/chapters/${chapters[0]!.id}`, {
      title: 'Ben’s chapter',
      text_format: 'plain',
      body: 'Rewritten together.',
    });
    assert.equal(chapter.statusCode, 303, chapter.body.slice(0, 400));
    assert.match((await guest().get(`/works/${work}`)).body, /Rewritten together\./);

    // The listings and search show the new creator.
    assert.match((await guest().get('/users/ben_writes/works')).body, /Shared Story, Revised/);
    assert.match((await guest().get('/works/search?q=creator%3Aben_writes')).body, /Shared Story, Revised/);

    // Each may leave, never the last.
    const left = await ann.post(`/works/${work}/creators/leave`);
    assert.equal(left.statusCode, 303);
    assert.equal((await ann.get(`/works/${work}/edit`)).statusCode, 403);
    const last = await ben.post(`/works/${work}/creators/leave`);
    assert.equal(last.statusCode, 422);
    assert.match(last.body, /You are the only creator/);
    assert.doesNotMatch((await guest().get('/users/ann_writes/works')).body, /Shared Story/);
  });

  it('declines, refuses a user who blocked the inviter or turned invitations off (one message), and credits own pseuds at once', async () => {
    const work = await post(ann, 'Second Story');
    const invited = await ann.post(`/works/${work}/creators/invitations`, { pseud: 'cat_writes' });
    assert.equal(invited.statusCode, 303);
    const [invitation] = await invitationIds(cat);
    const declined = await cat.post(`/co_creator_invitations/${invitation}/decline`);
    assert.equal(declined.statusCode, 303);
    assert.equal((await cat.get(`/works/${work}/edit`)).statusCode, 403);
    assert.deepEqual(await invitationIds(cat), []);

    assert.equal((await cat.post('/users/cat_writes/blocked', { user: 'ann_writes', action: 'add' })).statusCode, 303);
    const blocked = await ann.post(`/works/${work}/creators/invitations`, { pseud: 'cat_writes' });
    assert.equal(blocked.statusCode, 422);
    assert.match(blocked.body, /cat_writes does not accept co-creator invitations from you/);

    assert.equal((await ben.post('/co_creator_invitations/preference', {})).statusCode, 303);
    assert.doesNotMatch((await ben.get('/co_creator_invitations')).body, /name="allow" value="1" checked/);
    const off = await ann.post(`/works/${work}/creators/invitations`, { pseud: 'ben_writes' });
    assert.equal(off.statusCode, 422);
    assert.match(off.body, /ben_writes does not accept co-creator invitations from you/);
    assert.equal((await ben.post('/co_creator_invitations/preference', { allow: '1' })).statusCode, 303);
    assert.equal((await ann.post(`/works/${work}/creators/invitations`, { pseud: 'ben_writes' })).statusCode, 303);

    assert.equal((await ann.post('/users/ann_writes/pseuds', { name: 'Annie' })).statusCode, 303);
    const own = await ann.post(`/works/${work}/creators/invitations`, { pseud: 'Annie' });
    assert.equal(own.statusCode, 303);
    assert.match((await guest().get(`/works/${work}`)).body, /Annie \(ann_writes\)/);
  });

  it('invites to a series; the co-creator edits it after accepting and may leave', async () => {
    const created = await ann.post('/series', { title: 'Our Series', summary: '', notes: '' });
    assert.equal(created.statusCode, 303, created.body.slice(0, 300));
    const seriesId = Number(/\/series\/(\d+)/.exec(String(created.headers.location))![1]);
    assert.equal((await ann.post(`/series/${seriesId}/creators/invitations`, { pseud: 'ben_writes' })).statusCode, 303);
    assert.equal((await ben.get(`/series/${seriesId}/edit`)).statusCode, 403);
    const [invitation] = await invitationIds(ben);
    assert.equal((await ben.post(`/co_creator_invitations/${invitation}/accept`)).statusCode, 303);
    const edited = await ben.post(`/series/${seriesId}`, { title: 'Our Series, Renamed', summary: '', notes: '' });
    assert.equal(edited.statusCode, 303, edited.body.slice(0, 300));
    assert.equal((await ben.post(`/series/${seriesId}/creators/leave`)).statusCode, 303);
    assert.equal((await ben.get(`/series/${seriesId}/edit`)).statusCode, 403);
    assert.equal((await ann.post(`/series/${seriesId}/creators/leave`)).statusCode, 422);
  });

  it('orphans one work after a confirm page, keeping the pseud name or not; stats and comments stay; audited', async () => {
    const kept = await post(cat, 'Kept Name Work');
    const plain = await post(cat, 'Plain Orphan Work');
    const kudos = await ben.post(`/works/${kept}/kudos`);
    assert.equal(kudos.statusCode, 303, kudos.body.slice(0, 2000));
    assert.equal((await ben.post(`/works/${kept}/comments`, { comment: 'A comment that outlives the credit.' })).statusCode, 303);
    const confirm = await cat.get(`/works/${kept}/orphan`);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Orphaning cannot be undone/);
    assert.equal((await ann.get(`/works/${kept}/orphan`)).statusCode, 403);
    const bad = await cat.post(`/works/${kept}/orphan`, { pseud: 'sideways' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /Choose whether to keep your pseud’s name/);

    assert.equal((await cat.post(`/works/${kept}/orphan`, { pseud: 'keep' })).statusCode, 303);
    assert.equal((await cat.post(`/works/${plain}/orphan`, { pseud: 'orphan_account' })).statusCode, 303);
    const keptPage = await guest().get(`/works/${kept}`);
    assert.equal(keptPage.statusCode, 200);
    assert.match(keptPage.body, /cat_writes \(orphan_account\)/);
    assert.match((await guest().get(`/works/${plain}`)).body, /rel="author"[^>]*>orphan_account</);
    assert.equal((await cat.get(`/works/${kept}/edit`)).statusCode, 403);
    assert.equal((await cat.post(`/works/${kept}/orphan`, { pseud: 'keep' })).statusCode, 403);
    const row = await t.db.selectFrom('works').select('kudos_count').where('id', '=', kept).executeTakeFirstOrThrow();
    assert.equal(row.kudos_count, 1);
    assert.match(keptPage.body, /A comment that outlives the credit\./);
    assert.match((await guest().get('/users/orphan_account/works/feed.atom')).body, /Plain Orphan Work/);
    assert.doesNotMatch((await guest().get('/users/cat_writes/works/feed.atom')).body, /Plain Orphan Work/);
    assert.match((await guest().get('/users/orphan_account/works')).body, /Plain Orphan Work/);
    assert.doesNotMatch((await guest().get('/users/cat_writes/works')).body, /Plain Orphan Work/);
    assert.match((await guest().get('/works/search?q=creator%3Aorphan_account')).body, /Kept Name Work/);
    const actions = await audit();
    assert.equal(actions.filter((a) => a === 'work.orphan').length, 2);
  });

  it('orphans all posted works at once, leaving drafts; refuses a draft alone', async () => {
    const one = await post(ben, 'Ben One');
    const draft = await post(ben, 'Ben Draft', { action: 'draft' });
    const page = await ben.get('/orphans');
    assert.match(page.body, /Ben One/);
    assert.match(page.body, /draft stays/);
    const refused = await ben.post(`/works/${draft}/orphan`, { pseud: 'keep' });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /Drafts cannot be orphaned/);
    assert.equal((await ben.post('/orphans', { pseud: 'orphan_account' })).statusCode, 303);
    assert.equal((await ben.get(`/works/${one}/edit`)).statusCode, 403);
    assert.equal((await ben.get(`/works/${draft}/edit`)).statusCode, 200);
    const again = await ben.post('/orphans', { pseud: 'keep' });
    assert.equal(again.statusCode, 422);
    assert.match(again.body, /no posted works to orphan/);
  });

  it('orphans a series', async () => {
    const created = await cat.post('/series', { title: 'Cat Series', summary: '', notes: '' });
    const seriesId = Number(/\/series\/(\d+)/.exec(String(created.headers.location))![1]);
    assert.match((await cat.get(`/series/${seriesId}/orphan`)).body, /cannot be undone/);
    assert.equal((await cat.post(`/series/${seriesId}/orphan`, { pseud: 'orphan_account' })).statusCode, 303);
    assert.equal((await cat.get(`/series/${seriesId}/edit`)).statusCode, 403);
    assert.ok((await audit()).includes('series.orphan'));
  });

  it('orphans all one’s series at once after a confirm page listing them, audited per series; co-created series keep their other creators', async () => {
    const dee = await new TestVisitor(t.app).signUp('dee_writes');
    const make = async (visitor: TestVisitor, title: string) => {
      const created = await visitor.post('/series', { title, summary: '', notes: '' });
      return Number(/\/series\/(\d+)/.exec(String(created.headers.location))![1]);
    };
    const none = await dee.get('/orphans/series');
    assert.equal(none.statusCode, 200);
    assert.match(none.body, /You have no series to orphan/);
    const refused = await dee.post('/orphans/series', { confirm: 'yes' });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /You have no series to orphan/);

    const first = await make(dee, 'Dee First <Series>');
    const second = await make(dee, 'Dee Second Series');
    const shared = await make(ben, 'Ben And Dee Series');
    await t.db
      .insertInto('series_creators')
      .values({
        series_id: shared,
        user_id: (await t.db.selectFrom('users').select('id').where('login', '=', 'dee_writes').executeTakeFirstOrThrow()).id,
      })
      .execute();
    const page = await dee.get('/orphans/series');
    assert.match(page.body, /cannot be undone/);
    assert.match(page.body, /3 series will be orphaned: Dee First &lt;Series>, Dee Second Series, Ben And Dee Series\./);
    assert.equal((await guest().get('/orphans/series')).statusCode, 401);

    const unconfirmed = await dee.post('/orphans/series', {});
    assert.equal(unconfirmed.statusCode, 422);
    assert.match(unconfirmed.body, /Press “Yes, orphan all my series” to confirm/);
    assert.equal((await dee.get(`/series/${first}/edit`)).statusCode, 200, 'nothing orphaned by an unconfirmed post');

    const auditBefore = (await audit()).filter((a) => a === 'series.orphan').length;
    const done = await dee.post('/orphans/series', { confirm: 'yes' });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/users/dee_writes');
    for (const id of [first, second, shared]) assert.equal((await dee.get(`/series/${id}/edit`)).statusCode, 403);
    assert.equal((await ben.get(`/series/${shared}/edit`)).statusCode, 200, 'the other creator keeps the series');
    const creators = await t.db
      .selectFrom('series_creators')
      .innerJoin('users', 'users.id', 'series_creators.user_id')
      .select(['series_creators.series_id', 'users.login'])
      .where('series_creators.series_id', 'in', [first, second, shared])
      .orderBy('series_creators.series_id')
      .orderBy('users.login')
      .execute();
    assert.deepEqual(
      creators.map((c) => `${c.series_id}:${c.login}`),
      [`${first}:orphan_account`, `${second}:orphan_account`, `${shared}:ben_writes`, `${shared}:orphan_account`],
    );
    assert.equal((await audit()).filter((a) => a === 'series.orphan').length, auditBefore + 3);
    assert.match((await dee.get('/orphans/series')).body, /You have no series to orphan/);
  });
});

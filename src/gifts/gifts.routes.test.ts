import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { workIdOf } from '../../test/staff.ts';

describe('gifts: given on the work form, told to the recipient, refused, listed with visibility checks', () => {
  let t: TestApp;
  let giver: TestVisitor;
  let friend: TestVisitor;
  let blocker: TestVisitor;
  const guest = () => new TestVisitor(t.app);

  const post = async (visitor: TestVisitor, overrides: Record<string, string | string[]> = {}) => {
    const r = await visitor.post('/works', buildWorkForm(overrides));
    assert.equal(r.statusCode, 303, r.body.slice(0, 600));
    return workIdOf(r.headers.location);
  };
  const inboxOf = async (login: string) =>
    t.db
      .selectFrom('inbox_items')
      .innerJoin('users', 'users.id', 'inbox_items.user_id')
      .select(['inbox_items.kind', 'inbox_items.text', 'inbox_items.url'])
      .where('users.login', '=', login)
      .where('inbox_items.kind', '=', 'gift')
      .execute();

  before(async () => {
    t = await createTestApp({ PAGE_CACHE: 'off' });
    giver = await new TestVisitor(t.app).signUp('gift_giver');
    friend = await new TestVisitor(t.app).signUp('gift_friend');
    blocker = await new TestVisitor(t.app).signUp('gift_blocker');
    assert.equal((await blocker.post('/users/gift_blocker/blocked', { user: 'gift_giver', action: 'add' })).statusCode, 303);
  });
  after(() => t.close());

  it('gives a posted work to a user and a name, tells the user (inbox and mail job), and shows "for" on the work', async () => {
    const id = await post(giver, { title: 'For My Friend', gifts: 'gift_friend, Aunt <May>' });
    const page = await guest().get(`/works/${id}`);
    assert.match(page.body, /For <a href="\/users\/gift_friend\/gifts">gift_friend<\/a> and Aunt &lt;May>\./);
    const items = await inboxOf('gift_friend');
    assert.equal(items.length, 1);
    assert.match(items[0]!.text, /gift_giver gave you a gift: “For My Friend”/);
    assert.equal(items[0]!.url, `/works/${id}`);
    const mails = await t.db.selectFrom('jobs').select('payload').where('kind', '=', 'notifications.mail').execute();
    assert.ok(mails.some((m) => JSON.stringify(m.payload).includes('For My Friend')));
    const gifts = await guest().get('/users/gift_friend/gifts');
    assert.equal(gifts.statusCode, 200);
    assert.match(gifts.body, /For My Friend/);
    assert.doesNotMatch(gifts.body, /Refuse gift/);
  });

  it('refuses a gift: off the gifts page and the work, and the same work cannot be given again', async () => {
    const id = await post(giver, { title: 'Unwanted Gift', gifts: 'gift_friend' });
    const own = await friend.get('/users/gift_friend/gifts');
    const giftId = /action="\/gifts\/(\d+)\/refuse"[^>]*>[\s\S]*?Unwanted Gift|Unwanted Gift[\s\S]*?action="\/gifts\/(\d+)\/refuse"/.exec(
      own.body,
    );
    assert.ok(giftId, 'a refuse button for the gift');
    const gift = await t.db.selectFrom('work_gifts').select('id').where('work_id', '=', id).executeTakeFirstOrThrow();
    assert.equal((await giver.post(`/gifts/${gift.id}/refuse`)).statusCode, 404, 'only the recipient refuses');
    assert.equal((await guest().post(`/gifts/${gift.id}/refuse`)).statusCode, 401);
    const refused = await friend.post(`/gifts/${gift.id}/refuse`);
    assert.equal(refused.statusCode, 303);
    assert.equal(refused.headers.location, '/users/gift_friend/gifts');
    assert.doesNotMatch((await friend.get('/users/gift_friend/gifts')).body, /Unwanted Gift/);
    assert.doesNotMatch((await guest().get(`/works/${id}`)).body, /class="work-gifts"/);
    const again = await giver.post(`/works/${id}`, buildWorkForm({ title: 'Unwanted Gift', gifts: 'gift_friend' }));
    assert.equal(again.statusCode, 422);
    assert.match(again.body, /gift_friend refused this gift, so it cannot be given to them again/);
    assert.match(again.body, /value="gift_friend"/);
  });

  it('refuses gifts to oneself, to someone who blocked the giver, and too many names, keeping the typing and saving nothing', async () => {
    const before = await t.db
      .selectFrom('works')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const self = await giver.post('/works', buildWorkForm({ title: 'Kept Title', gifts: 'gift_giver' }));
    assert.equal(self.statusCode, 422);
    assert.match(self.body, /You cannot give a work to yourself/);
    assert.match(self.body, /value="Kept Title"/);
    const blocked = await giver.post('/works', buildWorkForm({ gifts: 'gift_blocker' }));
    assert.equal(blocked.statusCode, 422);
    assert.match(blocked.body, /You cannot give works to gift_blocker/);
    const many = await giver.post('/works', buildWorkForm({ gifts: Array.from({ length: 11 }, (_, i) => `Name ${i}`).join(',') }));
    assert.equal(many.statusCode, 422);
    assert.match(many.body, /at most 10 people/);
    const after = await t.db
      .selectFrom('works')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(after.n, before.n, 'the refused forms created no work');
  });

  it('shows drafts to no one, restricted works only to the signed in, and tells a draft’s recipient when it is posted', async () => {
    const draft = await post(giver, { title: 'Draft Gift', gifts: 'gift_friend', action: 'draft' });
    const restricted = await post(giver, { title: 'Restricted Gift', gifts: 'gift_friend', restricted: '1' });
    assert.doesNotMatch((await friend.get('/users/gift_friend/gifts')).body, /Draft Gift/);
    assert.doesNotMatch((await guest().get('/users/gift_friend/gifts')).body, /Restricted Gift/);
    assert.match((await blocker.get('/users/gift_friend/gifts')).body, /Restricted Gift/);
    assert.ok(!(await inboxOf('gift_friend')).some((i) => i.text.includes('Draft Gift')), 'not told while a draft');
    assert.equal((await giver.post(`/works/${draft}/post`)).statusCode, 303);
    assert.ok(
      (await inboxOf('gift_friend')).some((i) => i.text.includes('Draft Gift')),
      'told once posted',
    );
    assert.match((await friend.get('/users/gift_friend/gifts')).body, /Draft Gift/);
    assert.ok(restricted > 0);
    assert.equal((await guest().get('/users/nobody_at_all/gifts')).statusCode, 404);
    assert.equal((await guest().get('/users/gift_friend/gifts?page=x')).statusCode, 422);
  });

  it('keeps the gifts on the edit form and takes off names removed there', async () => {
    const id = await post(giver, { title: 'Edited Gift', gifts: 'gift_friend, Someone Else' });
    const edit = await giver.get(`/works/${id}/edit`);
    assert.match(edit.body, /name="gifts"[^>]*value="gift_friend, Someone Else"|value="gift_friend, Someone Else"[^>]*name="gifts"/);
    const saved = await giver.post(`/works/${id}`, buildWorkForm({ title: 'Edited Gift', gifts: 'Someone Else' }));
    assert.equal(saved.statusCode, 303);
    const page = await guest().get(`/works/${id}`);
    assert.match(page.body, /For Someone Else\./);
  });

  it('reads a login in any case as that account (its default pseud), while the gifts page wants the login as spelled', async () => {
    const id = await post(giver, { title: 'Shouted Gift', gifts: 'GIFT_FRIEND' });
    const gift = await t.db.selectFrom('work_gifts').selectAll().where('work_id', '=', id).executeTakeFirstOrThrow();
    const friendRow = await t.db.selectFrom('users').select('id').where('login', '=', 'gift_friend').executeTakeFirstOrThrow();
    assert.equal(gift.recipient_user_id, friendRow.id);
    assert.equal(gift.recipient_name, 'gift_friend');
    assert.match((await guest().get('/users/gift_friend/gifts')).body, /Shouted Gift/);
    assert.equal((await guest().get('/users/GIFT_FRIEND/gifts')).statusCode, 404);
  });
});

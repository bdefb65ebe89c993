import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { workIdOf } from '../../test/staff.ts';
import { currentCode } from './two-factor.ts';

const PASSWORD = 'correct horse battery';

function secretFrom(html: string): string {
  const match = /class="totp-secret">([A-Z2-7]+)</.exec(html);
  assert.ok(match, 'the setup page shows the key');
  return match[1]!;
}

describe('hardened accounts', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ PAGE_CACHE: 'off' });
  });
  after(() => t.close());

  it('turns on two-factor sign-in, then asks for a code at login; a code and each recovery code work once', async () => {
    const user = await new TestVisitor(t.app).signUp('twofa');
    const setup = await user.get('/users/twofa/two_factor');
    assert.equal(setup.statusCode, 200);
    const secret = secretFrom(setup.body);
    assert.match(setup.body, /otpauth:\/\/totp\//);
    assert.equal((await user.post('/users/twofa/two_factor', { code: '000000' })).statusCode, 422);
    // kept, not computed again below: a new 30-second step may begin between the two requests
    const enabling = currentCode(secret);
    const on = await user.post('/users/twofa/two_factor', { code: enabling });
    assert.equal(on.statusCode, 200);
    const codes = [...on.body.matchAll(/<code>([0-9a-f]{5}-[0-9a-f]{5})<\/code>/g)].map((m) => m[1]!);
    assert.equal(codes.length, 10);

    const login = async () => {
      const v = new TestVisitor(t.app);
      const r = await v.post('/login', { login: 'twofa', password: PASSWORD, return_to: '/works' });
      assert.equal(r.statusCode, 303);
      assert.match(String(r.headers.location), /^\/login\/two_factor/);
      assert.equal(v.cookies.has('ff_session'), false, 'no session before the second factor');
      return { v, next: String(r.headers.location) };
    };
    const first = await login();
    assert.equal((await first.v.post(first.next, { code: '123456' })).statusCode, 422);
    // The code used to turn it on was used already: it cannot be replayed.
    assert.equal((await first.v.post(first.next, { code: enabling })).statusCode, 422);
    const byRecovery = await first.v.post(first.next, { code: codes[0]! });
    assert.equal(byRecovery.statusCode, 303);
    assert.equal(byRecovery.headers.location, '/works');
    assert.equal((await first.v.get('/works/new')).statusCode, 200);

    const second = await login();
    assert.equal((await second.v.post(second.next, { code: codes[0]! })).statusCode, 422, 'a recovery code works once');
    assert.equal((await second.v.post(second.next, { code: codes[1]! })).statusCode, 303);

    const off = await user.post('/users/twofa/two_factor/disable', { password: PASSWORD });
    assert.equal(off.statusCode, 303);
    const plain = await new TestVisitor(t.app).post('/login', { login: 'twofa', password: PASSWORD });
    assert.equal(plain.headers.location, '/');
  });

  it('resets a password by an emailed link that expires and works once, ending every session', async () => {
    const user = await new TestVisitor(t.app).signUp('forgetful');
    const guest = new TestVisitor(t.app);
    const unknown = await guest.post('/password/forgot', { email: 'nobody@example.org' });
    const known = await guest.post('/password/forgot', { email: 'forgetful@example.org' });
    assert.equal(unknown.statusCode, 200);
    assert.equal(known.statusCode, 200);
    assert.equal(
      unknown.body.replace(/value="[^"]*"/g, ''),
      known.body.replace(/value="[^"]*"/g, ''),
      'the answer does not reveal who has an account',
    );
    const mail = t.app.mailer.outbox.at(-1)!;
    assert.equal(mail.to, 'forgetful@example.org');
    const link = /http:\/\/archive\.test(\/password\/reset\/[A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    assert.equal((await guest.get(link)).statusCode, 200);
    assert.equal((await guest.post(link, { password: 'short', password_confirmation: 'short' })).statusCode, 422);
    const done = await guest.post(link, { password: 'a brand new password', password_confirmation: 'a brand new password' });
    assert.equal(done.statusCode, 303);
    assert.equal((await user.get('/works/new')).statusCode, 401, 'old sessions ended');
    assert.equal((await guest.get(link)).statusCode, 404, 'single use');
    assert.equal((await guest.post(link, { password: 'another password!', password_confirmation: 'another password!' })).statusCode, 404);
    assert.equal((await new TestVisitor(t.app).post('/login', { login: 'forgetful', password: 'a brand new password' })).statusCode, 303);

    await guest.post('/password/forgot', { email: 'forgetful@example.org' });
    const expired = /(\/password\/reset\/[A-Za-z0-9_-]+)/.exec(t.app.mailer.outbox.at(-1)!.text)![1]!;
    await t.db
      .updateTable('password_resets')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('used_at', 'is', null)
      .execute();
    assert.equal((await guest.get(expired)).statusCode, 404, 'expired');
  });

  it('lists sessions and ends one, or all others', async () => {
    const a = await new TestVisitor(t.app).signUp('roamer');
    const b = new TestVisitor(t.app);
    await b.post('/login', { login: 'roamer', password: PASSWORD });
    const c = new TestVisitor(t.app);
    await c.post('/login', { login: 'roamer', password: PASSWORD });
    const page = await a.get('/users/roamer/sessions');
    const ids = [...page.body.matchAll(/sessions\/([0-9a-f]{16})\/end/g)].map((m) => m[1]!);
    assert.equal(ids.length, 2, 'the two other sessions can be ended; this one is marked');
    assert.match(page.body, /This browser/);
    assert.equal((await new TestVisitor(t.app).signUp('stranger').then((s) => s.get('/users/roamer/sessions'))).statusCode, 403);
    await a.post(`/users/roamer/sessions/${ids[0]}/end`);
    const alive = [(await b.get('/works/new')).statusCode, (await c.get('/works/new')).statusCode].sort();
    assert.deepEqual(alive, [200, 401]);
    await a.post('/users/roamer/sessions/end_others');
    assert.equal((await b.get('/works/new')).statusCode, 401);
    assert.equal((await c.get('/works/new')).statusCode, 401);
    assert.equal((await a.get('/works/new')).statusCode, 200);
  });

  it('deletes an account, orphaning its works or deleting them (shared works keep their other creators)', async () => {
    const orphaner = await new TestVisitor(t.app).signUp('leaving');
    const kept = workIdOf((await orphaner.post('/works', buildWorkForm({ title: 'Stays' }))).headers.location);
    assert.equal((await orphaner.post('/users/leaving/delete', { works: 'orphan', password: 'wrong password' })).statusCode, 422);
    assert.equal((await orphaner.post('/users/leaving/delete', { works: 'orphan', password: PASSWORD })).statusCode, 303);
    const page = await new TestVisitor(t.app).get(`/works/${kept}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /orphan_account/);
    assert.doesNotMatch(page.body, /leaving/);
    assert.equal((await new TestVisitor(t.app).post('/login', { login: 'leaving', password: PASSWORD })).statusCode, 422);

    const deleter = await new TestVisitor(t.app).signUp('deleter');
    const partner = await new TestVisitor(t.app).signUp('partner');
    const gone = workIdOf((await deleter.post('/works', buildWorkForm({ title: 'Goes' }))).headers.location);
    const shared = workIdOf((await deleter.post('/works', buildWorkForm({ title: 'Shared' }))).headers.location);
    const partnerPseud = await t.db
      .selectFrom('pseuds')
      .innerJoin('users', 'users.id', 'pseuds.user_id')
      .select('pseuds.id')
      .where('users.login', '=', 'partner')
      .executeTakeFirstOrThrow();
    await t.db.insertInto('work_creators').values({ work_id: shared, pseud_id: partnerPseud.id, position: 1 }).execute();
    assert.equal((await deleter.post('/users/deleter/delete', { works: 'delete', password: PASSWORD })).statusCode, 303);
    assert.equal((await partner.get(`/works/${gone}`)).statusCode, 404);
    const sharedPage = await partner.get(`/works/${shared}`);
    assert.equal(sharedPage.statusCode, 200);
    assert.doesNotMatch(sharedPage.body, /deleter/);
    const logged = await t.db.selectFrom('audit_log').select('action').where('action', '=', 'delete_account').execute();
    assert.equal(logged.length, 2);
  });
});

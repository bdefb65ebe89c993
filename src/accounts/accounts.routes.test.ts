import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';

describe('accounts', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  it('signs up, creates a default pseud, and logs the new user in', async () => {
    const v = new TestVisitor(t.app);
    await v.signUp('reader_one');
    const home = await v.get('/users/reader_one');
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /reader_one/);
    assert.match(home.body, /Log out/);
    const pseud = await t.db.selectFrom('pseuds').selectAll().where('name', '=', 'reader_one').executeTakeFirstOrThrow();
    assert.equal(pseud.is_default, true);
  });

  it('keeps what was typed and explains each error when sign-up input is bad', async () => {
    const v = new TestVisitor(t.app);
    const r = await v.post('/signup', { login: 'x', email: 'not-an-email', password: 'short', password_confirmation: 'short' });
    assert.equal(r.statusCode, 422);
    assert.match(r.body, /User names are 3 to 40 characters/);
    assert.match(r.body, /Enter an email address like/);
    assert.match(r.body, /at least 8 characters/);
    assert.match(r.body, /value="not-an-email"/);
    assert.doesNotMatch(r.body, /value="short"/, 'passwords are never echoed back');
  });

  it('refuses a taken login or email, case-insensitively', async () => {
    await new TestVisitor(t.app).signUp('TakenName');
    const r = await new TestVisitor(t.app).post('/signup', {
      login: 'takenname',
      email: 'TAKENNAME@example.org',
      password: 'another good password',
      password_confirmation: 'another good password',
    });
    assert.equal(r.statusCode, 422);
    assert.match(r.body, /is taken/);
    assert.match(r.body, /already exists/);
  });

  it('logs in by login or email, refuses a wrong password, and logs out', async () => {
    await new TestVisitor(t.app).signUp('writer_two', 'a fine password');
    const v = new TestVisitor(t.app);
    const wrong = await v.post('/login', { login: 'writer_two', password: 'wrong password' });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /do not match/);
    assert.match(wrong.body, /value="writer_two"/);
    const ok = await v.post('/login', { login: 'writer_two@example.org', password: 'a fine password' });
    assert.equal(ok.statusCode, 303);
    assert.ok(v.cookies.has('ff_session'));
    const setCookie = String(ok.headers['set-cookie']);
    assert.match(setCookie, /ff_session=[^;]+;.*HttpOnly/i);
    assert.match(setCookie, /SameSite=Lax/i);
    const out = await v.post('/logout');
    assert.equal(out.statusCode, 303);
    assert.ok(!v.cookies.has('ff_session'));
    const sessions = await t.db.selectFrom('sessions').selectAll().execute();
    assert.ok(sessions.every((s) => s.user_id !== undefined));
  });

  it('refuses state-changing requests without the CSRF token', async () => {
    const v = new TestVisitor(t.app);
    const r = await v.post('/signup', { _csrf: 'forged', login: 'csrf_victim', email: 'c@example.org', password: 'good password 1' });
    assert.equal(r.statusCode, 403);
    const none = await t.app.inject({ method: 'POST', url: '/logout' });
    assert.equal(none.statusCode, 403);
    const user = await t.db.selectFrom('users').select('id').where('login', '=', 'csrf_victim').executeTakeFirst();
    assert.equal(user, undefined);
  });

  it('changes the password only with the current one', async () => {
    const v = await new TestVisitor(t.app).signUp('changer', 'first password');
    const bad = await v.post('/users/changer/password', {
      current_password: 'nope nope',
      password: 'second password',
      password_confirmation: 'second password',
    });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /not your current password/);
    const good = await v.post('/users/changer/password', {
      current_password: 'first password',
      password: 'second password',
      password_confirmation: 'second password',
    });
    assert.equal(good.statusCode, 303);
    const again = new TestVisitor(t.app);
    assert.equal((await again.post('/login', { login: 'changer', password: 'second password' })).statusCode, 303);
    const other = await new TestVisitor(t.app).signUp('someone_else');
    assert.equal((await other.get('/users/changer/password')).statusCode, 403);
  });

  it('limits login attempts per address', async () => {
    const v = new TestVisitor(t.app);
    let last = 0;
    for (let i = 0; i < 12; i++) last = (await v.post('/login', { login: 'ghost', password: 'wrong password' })).statusCode;
    assert.equal(last, 429);
  });
});

describe('CSRF by origin', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  it('accepts a form without a token only when the browser says it came from this site', async () => {
    const form = 'login=origin_user&email=o%40example.org&password=a+good+password&password_confirmation=a+good+password';
    const headers = { 'content-type': 'application/x-www-form-urlencoded', host: 'archive.test' };
    const foreign = await t.app.inject({
      method: 'POST',
      url: '/signup',
      headers: { ...headers, origin: 'https://evil.example' },
      payload: form,
    });
    assert.equal(foreign.statusCode, 403);
    const none = await t.app.inject({ method: 'POST', url: '/signup', headers, payload: form });
    assert.equal(none.statusCode, 403);
    const same = await t.app.inject({
      method: 'POST',
      url: '/signup',
      headers: { ...headers, origin: 'http://archive.test' },
      payload: form,
    });
    assert.equal(same.statusCode, 303);
  });
});

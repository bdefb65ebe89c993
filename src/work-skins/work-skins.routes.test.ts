import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { postWork, quickUser } from '../comments/interactions.test-helpers.ts';
import { findExampleSkin } from './example-skins.ts';

const skinIdFrom = (location: unknown) => Number(/^\/skins\/(\d+)\/edit$/.exec(String(location))![1]);

describe('work skins', () => {
  let t: TestApp;
  let creator: TestVisitor;
  let workId: number;
  before(async () => {
    t = await createTestApp();
    creator = await quickUser(t, 'skin_creator');
    workId = await postWork(creator, { title: 'Texts at Midnight' });
  });
  after(() => t.close());

  it('saves a clean skin and serves it scoped, as CSS, at the work once the work wears it', async () => {
    const saved = await creator.post('/skins', { title: 'Mine', css: '.sent { color: #fff; background-color: #0a58ca }' });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 400));
    const skinId = skinIdFrom(saved.headers.location);
    assert.equal((await creator.get(`/works/${workId}/skin.css`)).statusCode, 404, 'no skin chosen yet');

    const chose = await creator.post(`/works/${workId}/skin`, { skin: String(skinId) });
    assert.equal(chose.statusCode, 303);
    const page = await new TestVisitor(t.app).get(`/works/${workId}`);
    assert.match(page.body, new RegExp(`<link rel="stylesheet" href="/works/${workId}/skin.css"/>`));
    assert.match(page.body, /<div class="chapters" id="workskin"/);
    assert.doesNotMatch(page.body, /<style/, 'no inline styles');

    const css = await new TestVisitor(t.app).get(`/works/${workId}/skin.css`);
    assert.equal(css.statusCode, 200);
    assert.equal(css.headers['content-type'], 'text/css; charset=utf-8');
    assert.equal(css.headers['cache-control'], 'public, max-age=0, must-revalidate');
    assert.equal(css.body, 'div#workskin .sent {\n  color: #fff;\n  background-color: #0a58ca;\n}\n');
    assert.ok(String(css.headers['content-security-policy']).includes("style-src 'self'"), 'the policy is unchanged');
    const again = await new TestVisitor(t.app).get(`/works/${workId}/skin.css`, { 'if-none-match': String(css.headers.etag) });
    assert.equal(again.statusCode, 304);
  });

  it('refuses CSS with parts it cannot use, lists them with reasons and keeps the text; saves without them when asked', async () => {
    const css = '.a { color: red }\n.b { position: fixed; background: url(https://x.example/p.gif) }\n@import url(x.css);';
    const refused = await creator.post('/skins', { title: 'Risky', css });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /3 parts of this CSS cannot be used/);
    assert.match(refused.body, /Line 2: <code>position: fixed<\/code> — position: fixed is not allowed/);
    assert.match(refused.body, /url\(\) is not allowed/);
    assert.match(refused.body, /@import is not allowed/);
    assert.ok(refused.body.includes('.b { position: fixed; background: url(https://x.example/p.gif) }'), 'the text is kept in the form');
    assert.equal((await t.db.selectFrom('work_skins').select('id').where('title', '=', 'Risky').execute()).length, 0);

    const accepted = await creator.post('/skins', { title: 'Risky', css, accept_dropped: '1' });
    assert.equal(accepted.statusCode, 303);
    const row = await t.db
      .selectFrom('work_skins')
      .selectAll()
      .where('id', '=', skinIdFrom(accepted.headers.location))
      .executeTakeFirstOrThrow();
    assert.equal(row.css, 'div#workskin .a {\n  color: red;\n}\n');
    assert.equal(row.source_css, css, "the creator's text is kept for editing");
  });

  it('refuses more than 50 KB with a 422 that says the size and keeps the title', async () => {
    const big = `.a { color: red }\n`.repeat(3000);
    const response = await creator.post('/skins', { title: 'Huge', css: big });
    assert.equal(response.statusCode, 422);
    assert.match(response.body, /This CSS is 53 KB; a work skin can be at most 50 KB/);
    assert.match(response.body, /value="Huge"/);
  });

  it('a shipped example is copied into the creator skins when chosen, and reused when chosen again', async () => {
    const texting = findExampleSkin('texting')!;
    assert.equal((await creator.post(`/works/${workId}/skin`, { skin: 'example:texting' })).statusCode, 303);
    const second = await postWork(creator, { title: 'More Texts' });
    assert.equal((await creator.post(`/works/${second}/skin`, { skin: 'example:texting' })).statusCode, 303);
    const copies = await t.db.selectFrom('work_skins').select('id').where('source_css', '=', texting.css).execute();
    assert.equal(copies.length, 1);
    const css = await creator.get(`/works/${second}/skin.css`);
    assert.match(css.body, /^div#workskin \.sent \{/m);
    const form = await creator.get('/skins/new?from=letter');
    assert.match(form.body, /class=&quot;letter&quot;|class="letter"/);
    assert.match(form.body, /Using the letter skin in your chapters/);
  });

  it("others cannot see, edit or choose a creator's skins, nor set a skin on a work that is not theirs", async () => {
    const other = await quickUser(t, 'skin_other');
    const skin = await t.db.selectFrom('work_skins').select('id').orderBy('id').executeTakeFirstOrThrow();
    assert.equal((await other.get(`/skins/${skin.id}/edit`)).statusCode, 404);
    assert.equal((await other.post(`/skins/${skin.id}`, { title: 'Stolen', css: '.a { color: red }' })).statusCode, 404);
    assert.equal((await other.post(`/skins/${skin.id}/delete`)).statusCode, 404);
    assert.equal((await other.post(`/works/${workId}/skin`, { skin: '' })).statusCode, 403);
    const own = await postWork(other, { title: 'Other Work' });
    const chose = await other.post(`/works/${own}/skin`, { skin: String(skin.id) });
    assert.equal(chose.statusCode, 422);
    assert.match(chose.body, /Choose one of your own skins/);
    assert.equal((await new TestVisitor(t.app).get('/skins')).statusCode, 401);
  });

  it('the stylesheet follows the work: 404 for a draft to others, 401 to guests on a restricted work, private caching', async () => {
    const draft = await postWork(creator, { title: 'Draft With Skin', action: 'draft' });
    assert.equal((await creator.post(`/works/${draft}/skin`, { skin: 'example:letter' })).statusCode, 303);
    assert.equal((await new TestVisitor(t.app).get(`/works/${draft}/skin.css`)).statusCode, 404);
    const own = await creator.get(`/works/${draft}/skin.css`);
    assert.equal(own.statusCode, 200);
    assert.equal(own.headers['cache-control'], 'private, no-cache');

    const restricted = await postWork(creator, { title: 'Members Only', restricted: '1' });
    assert.equal((await creator.post(`/works/${restricted}/skin`, { skin: 'example:letter' })).statusCode, 303);
    assert.equal((await new TestVisitor(t.app).get(`/works/${restricted}/skin.css`)).statusCode, 401);
  });

  it('the work form offers the skin: chosen when posting, changed or removed when editing, refused when not one of yours', async () => {
    const form = await creator.get('/works/new');
    assert.match(form.body, /<select[^>]*name="work_skin"/);
    assert.match(form.body, /<option value="example:letter">Letter \(example, copied to your skins\)<\/option>/);
    const posted = await postWork(creator, { title: 'Letters Home', work_skin: 'example:letter' });
    assert.match((await creator.get(`/works/${posted}/skin.css`)).body, /div#workskin \.letter \{/);

    const edit = await creator.get(`/works/${posted}/edit`);
    const letterId = (await t.db.selectFrom('work_skin_uses').select('skin_id').where('work_id', '=', posted).executeTakeFirstOrThrow())
      .skin_id;
    assert.match(edit.body, new RegExp(`<option value="${letterId}" selected`));
    const other = await quickUser(t, 'form_other');
    const theirs = await other.post('/skins', { title: 'Theirs', css: '.a { color: red }' });
    const refused = await creator.post(
      `/works/${posted}`,
      buildWorkForm({ title: 'Letters Home, edited', work_skin: String(skinIdFrom(theirs.headers.location)) }),
    );
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /Choose one of your own skins, or an example/);
    assert.match(refused.body, /value="Letters Home, edited"/, 'the typing is kept');
    assert.equal((await creator.post(`/works/${posted}`, buildWorkForm({ title: 'Letters Home', work_skin: '' }))).statusCode, 303);
    assert.equal((await creator.get(`/works/${posted}/skin.css`)).statusCode, 404);

    const badNew = await creator.post('/works', buildWorkForm({ title: 'Bad Skin', work_skin: 'example:nope' }));
    assert.equal(badNew.statusCode, 422);
    assert.match(badNew.body, /There is no such example skin/);
  });

  it('deleting a skin takes it off its works', async () => {
    const saved = await creator.post('/skins', { title: 'Short-lived', css: '.x { color: green }' });
    const skinId = skinIdFrom(saved.headers.location);
    const work = await postWork(creator, { title: 'Skinned Then Not' });
    await creator.post(`/works/${work}/skin`, { skin: String(skinId) });
    assert.equal((await creator.post(`/skins/${skinId}/delete`)).statusCode, 303);
    assert.equal((await creator.get(`/works/${work}/skin.css`)).statusCode, 404);
    assert.doesNotMatch((await new TestVisitor(t.app).get(`/works/${work}`)).body, /skin\.css/);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { makeAdmin } from '../../test/staff.ts';
import { DEFAULT_EMBED_HOSTS } from '../works/text/embed-hosts.ts';

const cspOf = (headers: Record<string, unknown>) => String(headers['content-security-policy'] ?? '');
const directive = (csp: string, name: string) => csp.split(/;\s*/).find((d) => d.startsWith(`${name} `)) ?? '';

describe('embed hosts: the admin list, the sanitizer and the CSP follow it', () => {
  let t: TestApp;
  let admin: TestVisitor;
  let author: TestVisitor;

  before(async () => {
    t = await createTestApp({ PAGE_CACHE: 'off' });
    admin = await new TestVisitor(t.app).signUp('embedadmin');
    await makeAdmin(t.db, 'embedadmin');
    author = await new TestVisitor(t.app).signUp('vidder');
  });
  after(async () => {
    // The list is per process: leave the built-in one for the next test file.
    await admin.post('/admin/embeds', { reset: '1' });
    await t.close();
  });

  it('is for admins only', async () => {
    assert.equal((await new TestVisitor(t.app).get('/admin/embeds')).statusCode, 401);
    assert.equal((await author.get('/admin/embeds')).statusCode, 403);
    assert.equal((await author.post('/admin/embeds', { hosts: 'evil.example' })).statusCode, 403);
    const page = await admin.get('/admin/embeds');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /The built-in list is in force/);
    assert.match(page.body, /player\.vimeo\.com/);
  });

  it('the CSP lists exactly the built-in hosts by default, in frame-src and media-src', async () => {
    const csp = cspOf((await new TestVisitor(t.app).get('/')).headers);
    const expected = DEFAULT_EMBED_HOSTS.flatMap((h) => [`https://${h}`, `https://www.${h}`]).join(' ');
    assert.equal(directive(csp, 'frame-src'), `frame-src ${expected}`);
    assert.equal(directive(csp, 'media-src'), `media-src ${expected}`);
    // Nothing else was loosened.
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
  });

  it('refuses lines that are not host names, naming them and keeping the text', async () => {
    const typed = 'player.vimeo.com\nhttps://evil.example/path\n*.wild.example\nhost:8080';
    const res = await admin.post('/admin/embeds', { hosts: typed });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /not a host name/);
    assert.match(res.body, /&quot;https:\/\/evil.example\/path&quot;/);
    assert.match(res.body, /\*\.wild\.example/);
    assert.match(res.body, /host:8080/);
    // The admin's typing is kept in the form.
    assert.match(res.body, /player\.vimeo\.com\nhttps:\/\/evil\.example\/path/);
    const row = await t.db.selectFrom('site_settings').select('embed_hosts').executeTakeFirstOrThrow();
    assert.equal(row.embed_hosts, null);
  });

  it('saves a list (normalised), records who did, and the CSP and the sanitizer follow at once', async () => {
    const res = await admin.post('/admin/embeds', { hosts: 'https://www.Fanvids.Example/\n\nvidders.net\nvidders.net' });
    assert.equal(res.statusCode, 303);
    const row = await t.db.selectFrom('site_settings').select('embed_hosts').executeTakeFirstOrThrow();
    assert.deepEqual(row.embed_hosts, ['fanvids.example', 'vidders.net']);
    assert.ok(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'update_embed_hosts').executeTakeFirst());

    const csp = cspOf((await new TestVisitor(t.app).get('/')).headers);
    const list = 'https://fanvids.example https://www.fanvids.example https://vidders.net https://www.vidders.net';
    assert.equal(directive(csp, 'frame-src'), `frame-src ${list}`);
    assert.equal(directive(csp, 'media-src'), `media-src ${list}`);

    const body =
      '<p>Our vid:</p><iframe src="http://www.fanvids.example/embed/42" title="Storm vid" width="560" height="315"></iframe>' +
      '<iframe src="https://www.youtube.com/embed/gone" title="Not listed any more"></iframe><p>End.</p>';
    const posted = await author.post('/works', buildWorkForm({ title: 'Vid post', text_format: 'html', body }));
    assert.equal(posted.statusCode, 303);
    const workId = Number(/\/works\/(\d+)/.exec(String(posted.headers.location))![1]);
    const chapter = await t.db.selectFrom('chapters').select('body_html').where('work_id', '=', workId).executeTakeFirstOrThrow();
    // Stored as the author wrote it (AO3's markup), over https; the unlisted host's player is gone.
    assert.match(
      chapter.body_html,
      /<p><iframe src="https:\/\/www\.fanvids\.example\/embed\/42" title="Storm vid" width="560" height="315"><\/iframe><\/p>/,
    );
    assert.doesNotMatch(chapter.body_html, /youtube/);

    // The reader gets a placeholder: no iframe in the page until a click, a link that works without JavaScript.
    const page = await new TestVisitor(t.app).get(`/works/${workId}`);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /<iframe/);
    assert.match(page.body, /<span class="embed" data-embed="[^"]*fanvids\.example[^"]*">/);
    assert.match(page.body, /<span class="embed-title">Storm vid<\/span>/);
    assert.match(
      page.body,
      /<a class="embed-link" href="https:\/\/www\.fanvids\.example\/embed\/42" rel="nofollow noopener">Open it on www\.fanvids\.example<\/a>/,
    );
    assert.match(page.body, /<button type="button" class="embed-play" hidden>Play here<\/button>/);
    assert.match(page.body, /<script src="\/static\/embeds\.js\?v=1" defer><\/script>/);
  });

  it('a host taken off the list keeps its stored players as links only, and the CSP refuses it', async () => {
    await admin.post('/admin/embeds', { hosts: 'vidders.net' });
    const works = await t.db.selectFrom('works').select('id').where('title', '=', 'Vid post').executeTakeFirstOrThrow();
    const page = await new TestVisitor(t.app).get(`/works/${works.id}`);
    assert.doesNotMatch(page.body, /<iframe/);
    assert.match(page.body, /class="embed-link" href="https:\/\/www\.fanvids\.example\/embed\/42"/);
    assert.doesNotMatch(page.body, /class="embed-play"/);
    assert.doesNotMatch(cspOf(page.headers), /fanvids/);
  });

  it('an empty list allows no players; the reset button brings the built-in list back', async () => {
    assert.equal((await admin.post('/admin/embeds', { hosts: '' })).statusCode, 303);
    const none = cspOf((await new TestVisitor(t.app).get('/')).headers);
    assert.equal(directive(none, 'frame-src'), "frame-src 'none'");
    assert.equal(directive(none, 'media-src'), "media-src 'none'");
    assert.equal((await admin.post('/admin/embeds', { hosts: 'ignored.example', reset: '1' })).statusCode, 303);
    const row = await t.db.selectFrom('site_settings').select('embed_hosts').executeTakeFirstOrThrow();
    assert.equal(row.embed_hosts, null);
    assert.match(directive(cspOf((await new TestVisitor(t.app).get('/')).headers), 'frame-src'), /https:\/\/www\.youtube\.com/);
  });
});

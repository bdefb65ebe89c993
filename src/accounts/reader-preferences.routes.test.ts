import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';

const DISPLAY_DEFAULTS = { theme: 'system', text_size: 'medium', line_width: 'medium', font: 'serif' };
const htmlTag = (body: string) => /<html[^>]*>/.exec(body)?.[0] ?? '';
const tomorrow = () => new Date(Date.now() + 24 * 3600_000).toISOString().slice(0, 16);

function workIdFrom(location: unknown): number {
  const match = /^\/works\/(\d+)$/.exec(String(location));
  assert.ok(match, `expected a redirect to a work, got ${String(location)}`);
  return Number(match[1]);
}

describe('reader preferences', () => {
  let t: TestApp;
  let author: TestVisitor;
  let mature: number;
  let general: number;
  before(async () => {
    // A long TTL: whatever a guest sees below comes from the right cache entry or a fresh render.
    t = await createTestApp({ PAGE_CACHE: 'on', PAGE_CACHE_TTL: '3600' });
    author = await new TestVisitor(t.app).signUp('prefauthor');
    const m = await author.post(
      '/works',
      buildWorkForm({
        title: 'Mature Work',
        rating: 'Mature',
        warnings: ['Major Character Death'],
        freeforms: 'Angst, Hurt/Comfort',
        body: 'The mature text itself.',
      }),
    );
    mature = workIdFrom(m.headers.location);
    const g = await author.post('/works', buildWorkForm({ title: 'General Work', body: Array(1000).fill('word').join(' ') }));
    general = workIdFrom(g.headers.location);
  });
  after(() => t.close());

  it('shows a guest the adult notice before a Mature work, and the work after Proceed (no script needed)', async () => {
    const guest = new TestVisitor(t.app);
    const notice = await guest.get(`/works/${mature}`);
    assert.equal(notice.statusCode, 200);
    assert.match(notice.body, /This work could have adult content/);
    assert.match(notice.body, /If you continue, you have agreed that you are\s+willing to see such content/);
    assert.doesNotMatch(notice.body, /The mature text itself/);
    assert.match(notice.body, new RegExp(`href="/works/${mature}\\?view_adult=true"[^>]*>\\s*Proceed`));
    const proceeded = await guest.get(`/works/${mature}?view_adult=true`);
    assert.equal(proceeded.statusCode, 200);
    assert.match(proceeded.body, /The mature text itself/);
    assert.equal(guest.cookies.get('ff_view_adult'), '1', 'the choice is remembered for the session');
    const later = await guest.get(`/works/${mature}`);
    assert.match(later.body, /The mature text itself/);
    // Every chapter page asks too; a fresh guest still gets the notice (no other guest's page).
    const chapter = await t.db.selectFrom('chapters').select('id').where('work_id', '=', mature).executeTakeFirstOrThrow();
    const fresh = new TestVisitor(t.app);
    const chapterNotice = await fresh.get(`/works/${mature}/chapters/${chapter.id}`);
    assert.match(chapterNotice.body, /This work could have adult content/);
    assert.match(chapterNotice.body, new RegExp(`href="/works/${mature}/chapters/${chapter.id}\\?view_adult=true"`));
    assert.doesNotMatch((await fresh.get(`/works/${mature}`)).body, /The mature text itself/);
    // General Audiences: no notice; the creators never get it for their own work.
    assert.doesNotMatch((await fresh.get(`/works/${general}`)).body, /could have adult content/);
    assert.match((await author.get(`/works/${mature}`)).body, /The mature text itself/);
  });

  it('lets a guest choose display settings and spoilers, kept in a cookie and rendered on <html>', async () => {
    const guest = new TestVisitor(t.app);
    const form = await guest.get('/preferences');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /kept in a cookie in this browser/);
    assert.match(htmlTag(form.body), /data-theme="system"/);
    const saved = await guest.post('/preferences', {
      ...DISPLAY_DEFAULTS,
      theme: 'dark',
      text_size: 'large',
      hide_warnings: '1',
      hide_freeforms: '1',
    });
    assert.equal(saved.statusCode, 303);
    assert.ok(guest.cookies.get('ff_prefs'), 'a guest keeps preferences in a cookie');
    const page = await guest.get(`/works/${mature}?view_adult=true`);
    assert.match(htmlTag(page.body), /data-theme="dark"/);
    assert.match(htmlTag(page.body), /data-text-size="large"/);
    assert.match(page.body, /<details class="spoiler"><summary>Show warnings<\/summary><a[^>]*>Major Character Death<\/a><\/details>/);
    assert.match(page.body, /<details class="spoiler"><summary>Show additional tags<\/summary>/);
    const listing = await guest.get('/works');
    assert.match(listing.body, /<li class="tag-warning tag-spoiler"><details class="spoiler"><summary>Show warnings<\/summary>/);
    assert.doesNotMatch(listing.body, /Warnings: Major Character Death/, 'the required-tags square does not name hidden warnings');
    // Back to the defaults: the cookie goes.
    await guest.post('/preferences', DISPLAY_DEFAULTS);
    assert.equal(guest.cookies.get('ff_prefs'), undefined);
  });

  it('refuses a value not on the lists with a clear message, keeping the form', async () => {
    const guest = new TestVisitor(t.app);
    const r = await guest.post('/preferences', { ...DISPLAY_DEFAULTS, theme: 'purple', hide_warnings: '1' });
    assert.equal(r.statusCode, 422);
    assert.match(r.body, /Choose a theme from the list \(system, light, dark\)/);
    assert.match(r.body, /name="hide_warnings" value="1" checked/);
    assert.equal(guest.cookies.get('ff_prefs'), undefined);
  });

  it('saves an account holder’s preferences with the account, adult content included', async () => {
    const reader = await new TestVisitor(t.app).signUp('prefreader');
    assert.match((await reader.get(`/works/${mature}`)).body, /could have adult content/);
    const saved = await reader.post('/preferences', { ...DISPLAY_DEFAULTS, show_adult: '1', theme: 'light', font: 'sans' });
    assert.equal(saved.statusCode, 303);
    assert.equal(reader.cookies.get('ff_prefs'), undefined, 'accounts keep them in the database');
    const row = await t.db.selectFrom('reader_preferences').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.show_adult, true);
    assert.equal(row.theme, 'light');
    const page = await reader.get(`/works/${mature}`);
    assert.match(page.body, /The mature text itself/);
    assert.match(htmlTag(page.body), /data-theme="light"/);
    assert.match(htmlTag(page.body), /data-font="sans"/);
    assert.match((await reader.get('/preferences')).body, /<option value="light" selected/);
    assert.equal((await reader.get('/users/prefreader/preferences')).headers.location, '/preferences');
  });

  it('never gives a guest with a preference cookie another guest’s cached page', async () => {
    const url = `/works/${general}`;
    const plain = await t.app.inject({ url });
    assert.match(htmlTag(plain.body), /data-theme="system"/);
    assert.ok(t.app.pageCache.get(url), 'the defaults page is cached');
    const dark = await t.app.inject({ url, headers: { cookie: 'ff_prefs=theme-dark.warnings-1' } });
    assert.match(htmlTag(dark.body), /data-theme="dark"/, 'not the cached defaults page');
    // The same choices, written differently: one cached page, served again.
    const darkAgain = await t.app.inject({ url, headers: { cookie: 'ff_csrf=x; ff_prefs=warnings-1.theme-dark' } });
    assert.equal(darkAgain.headers.etag, dark.headers.etag);
    assert.equal((await t.app.inject({ url })).headers.etag, plain.headers.etag, 'the defaults page is still the defaults page');
    // "Proceed" is per session: a guest who proceeded gets the work, the next guest the notice.
    const matureUrl = `/works/${mature}`;
    const proceeded = await t.app.inject({ url: matureUrl, headers: { cookie: 'ff_view_adult=1' } });
    assert.match(proceeded.body, /The mature text itself/);
    assert.match((await t.app.inject({ url: matureUrl, headers: { cookie: 'ff_view_adult=1' } })).body, /The mature text itself/);
    assert.match((await t.app.inject({ url: matureUrl })).body, /could have adult content/);
    // Cookie values a browser could send but we never wrote share the defaults page.
    assert.equal((await t.app.inject({ url, headers: { cookie: 'ff_prefs=nonsense' } })).headers.etag, plain.headers.etag);
  });

  it('shows an estimated reading time on blurbs and the work page', async () => {
    const page = await new TestVisitor(t.app).get(`/works/${general}`);
    assert.match(page.body, /<dt>Reading time:<\/dt><dd title="Estimated at 250 words a minute">4 min<\/dd>/);
    assert.match((await new TestVisitor(t.app).get('/works')).body, /Reading time:/);
  });

  it('shows the next chapter’s date only when the creator chose to', async () => {
    const guest = new TestVisitor(t.app);
    const postAt = tomorrow();
    const scheduled = await author.post(`/works/${general}/chapters`, { body: 'Chapter two.', action: 'schedule', post_at: postAt });
    assert.equal(scheduled.statusCode, 303, scheduled.body.slice(0, 300));
    assert.doesNotMatch((await guest.get(`/works/${general}`)).body, /Next chapter:/);
    const edit = await author.get(`/works/${general}/edit`);
    assert.match(edit.body, /name="show_next_chapter_date" value="1"/);
    const chose = await author.post(
      `/works/${general}`,
      buildWorkForm({ title: 'General Work', expected_chapters: '2', show_next_chapter_date: ['0', '1'] }),
    );
    assert.equal(chose.statusCode, 303);
    const page = await guest.get(`/works/${general}`);
    assert.match(page.body, new RegExp(`<dt>Next chapter:</dt><dd>${postAt.slice(0, 10)}</dd>`));
    assert.match((await author.get(`/works/${general}/edit`)).body, /name="show_next_chapter_date" value="1" checked/);
    // Moving the time shows the new date at once, cached guest page or not.
    const waiting = await t.db
      .selectFrom('chapters')
      .select('id')
      .where('work_id', '=', general)
      .where('posted', '=', false)
      .executeTakeFirstOrThrow();
    const later = new Date(Date.now() + 3 * 24 * 3600_000).toISOString().slice(0, 16);
    const moved = await author.post(`/works/${general}/chapters/${waiting.id}/schedule`, { post_at: later });
    assert.equal(moved.statusCode, 303, moved.body.slice(0, 300));
    assert.match((await guest.get(`/works/${general}`)).body, new RegExp(`<dt>Next chapter:</dt><dd>${later.slice(0, 10)}</dd>`));
    // Unticked (only the hidden "0" arrives): hidden again.
    await author.post(`/works/${general}`, buildWorkForm({ title: 'General Work', expected_chapters: '2', show_next_chapter_date: '0' }));
    assert.doesNotMatch((await guest.get(`/works/${general}`)).body, /Next chapter:/);
  });
});

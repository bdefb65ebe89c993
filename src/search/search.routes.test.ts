import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { ensureFacetIndex } from './facet-index-store.ts';
import { PHRASE_TUNING } from './facet-search.ts';

const guestOf = (t: TestApp) => new TestVisitor(t.app);

function workIdFrom(location: unknown): number {
  const match = /^\/works\/(\d+)$/.exec(String(location));
  assert.ok(match, `expected a redirect to a work, got ${String(location)}`);
  return Number(match[1]);
}

/** The ids of the works listed on a page, in order. */
function listedIds(html: string): number[] {
  return [...html.matchAll(/<li class="blurb" id="work_(\d+)"/g)].map((m) => Number(m[1]));
}

/** A small well-formedness check: every tag closes in order, attributes quoted, entities known. */
function assertWellFormedXml(xml: string): void {
  assert.match(xml, /^<\?xml version="1\.0" encoding="utf-8"\?>\n/);
  const stack: string[] = [];
  const body = xml.replace(/^<\?xml[^>]*\?>/, '');
  for (const m of body.matchAll(/<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|<|&(?!(?:amp|lt|gt|quot|apos|#\d+);)/g)) {
    if (m[2] === undefined) assert.fail(`stray markup character at ${m.index}: ${body.slice(m.index!, m.index! + 40)}`);
    if (m[1] === '/') assert.equal(stack.pop(), m[2], `mismatched </${m[2]}>`);
    else if (m[4] !== '/') stack.push(m[2]);
  }
  assert.deepEqual(stack, [], 'unclosed elements');
}

describe('search', () => {
  let t: TestApp;
  let author: TestVisitor;
  let reader: TestVisitor;
  const guest = () => new TestVisitor(t.app);
  const ids: Record<string, number> = {};

  const post = async (key: string, overrides: Record<string, string | string[]>, visitor = author) => {
    const r = await visitor.post('/works', buildWorkForm(overrides));
    assert.equal(r.statusCode, 303, r.body.slice(0, 500));
    ids[key] = workIdFrom(r.headers.location);
  };

  before(async () => {
    t = await createTestApp();
    author = await new TestVisitor(t.app).signUp('author');
    reader = await new TestVisitor(t.app).signUp('reader');
    const other = await new TestVisitor(t.app).signUp('othercreator');
    await post('hp', {
      title: 'Library Nights',
      fandoms: 'Harry Potter',
      relationships: 'Hermione Granger/Ron Weasley',
      characters: 'Hermione Granger',
      freeforms: 'Fluff',
      rating: 'Teen And Up Audiences',
      body: 'The moonlit library smelled of parchment and <script>alert(1)</script> old vampire stories.',
    });
    await post('hp2', {
      title: 'Quidditch Season',
      fandoms: 'Harry Potter',
      characters: 'Harry Potter',
      freeforms: 'Angst',
      rating: 'Explicit',
      body: 'A broom, a match, a fall.',
    });
    await post('cross', {
      title: 'Crossing Over',
      fandoms: 'Harry Potter, The Vampire Diaries (TV)',
      freeforms: 'Fluff',
      body: 'Worlds meet.',
    });
    await post('tvd', {
      title: 'Mystic Falls',
      fandoms: 'The Vampire Diaries (TV)',
      freeforms: 'Hurt/Comfort',
      body: 'Caroline waited by the vampire grave.',
    });
    await post('restricted', { title: 'Members Only', fandoms: 'Harry Potter', restricted: 'on', body: 'A secret vampire meeting.' });
    await post('draft', { title: 'Unfinished Draft', fandoms: 'Harry Potter', action: 'draft', body: 'A draft about a vampire.' }).catch(
      () => undefined,
    );
    await post(
      'othercreator',
      { title: 'By Someone Else', fandoms: 'Harry Potter', freeforms: 'Whump', body: 'Another vampire tale.' },
      other,
    );
  });
  after(() => t.close());

  it('shows the form with no search, and the help page', async () => {
    const form = await guest().get('/works/search');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<form method="get" action="\/works\/search"/);
    const help = await guest().get('/works/search/help');
    assert.equal(help.statusCode, 200);
    assert.match(help.body, /words:>1000/);
  });

  it('answers a page past the end of the results with a 404 that links to the last page, keeping the search', async () => {
    const past = await guest().get('/works/search?fandoms=Harry+Potter&sort=title&page=500');
    assert.equal(past.statusCode, 404);
    const link = /<a href="(\/works\/search\?[^"]*)">Go to the last page/.exec(past.body);
    assert.ok(link, 'a link to the last page');
    const location = new URL(link[1]!.replace(/&amp;/g, '&'), 'http://archive.test');
    assert.equal(location.searchParams.get('page'), null, 'page 1 is the default');
    assert.equal(location.searchParams.get('fandoms'), 'Harry Potter');
    assert.equal(location.searchParams.get('sort'), 'title');
    assert.equal((await guest().get(location.pathname + location.search)).statusCode, 200);
  });

  it('shows an excluded sidebar tag as a removable chip, and a new sort keeps the exclusion', async () => {
    const start = await guest().get('/works/search?fandoms=Harry+Potter');
    const exclude = /href="(\/works\/search\?[^"]*without=(\d+)[^"]*)" aria-label="Exclude works tagged Fluff"/.exec(start.body);
    assert.ok(exclude, 'an exclude link for Fluff');
    const fluffId = exclude[2]!;
    const page = await guest().get(exclude[1]!.replace(/&amp;/g, '&'));
    assert.ok(!listedIds(page.body).includes(ids.hp!), 'the Fluff work is left out');
    assert.match(page.body, /class="chip chip-excluded"[^>]*>.*?<span class="chip-kind">excluded<\/span>[^<]*Fluff/s);
    // The sidebar still names it, marked as excluded.
    assert.match(page.body, /<span class="facet-name">Fluff<\/span> <span class="facet-count">\(excluded\)<\/span>/);
    // What the search form sends when the reader picks another sort: every field it holds, sort changed.
    const form = /<form method="get" action="\/works\/search"[^>]*>([\s\S]*?)<\/form>/.exec(page.body)![1]!;
    const sent = new URLSearchParams();
    for (const m of form.matchAll(/<input([^>]*)>/g)) {
      const name = /name="([^"]*)"/.exec(m[1]!)?.[1];
      const value = /value="([^"]*)"/.exec(m[1]!)?.[1] ?? '';
      const type = /type="([^"]*)"/.exec(m[1]!)?.[1];
      if (name && (type !== 'checkbox' || / checked/.test(m[1]!))) sent.append(name, value.replace(/&amp;/g, '&'));
    }
    sent.set('sort', 'title');
    assert.equal(sent.get('without'), fluffId);
    const resorted = await guest().get(`/works/search?${sent.toString()}`);
    assert.equal(resorted.statusCode, 200);
    assert.ok(!listedIds(resorted.body).includes(ids.hp!), 'still excluded after the new sort');
    assert.match(resorted.body, /<span class="chip-kind">excluded<\/span>[^<]*Fluff/);
    // Removing the chip brings the work back and keeps the sort.
    const remove = /<a class="chip chip-excluded" href="([^"]*)"/.exec(resorted.body)![1]!.replace(/&amp;/g, '&');
    assert.match(remove, /sort=title/);
    assert.doesNotMatch(remove, /without=/);
    assert.ok(listedIds((await guest().get(remove)).body).includes(ids.hp!));
  });

  it('puts the highlighted excerpt inside its result card, from a sentence or word boundary, and the save box out of the way', async () => {
    const r = await reader.get('/works/search?q=vampire+moonlit');
    assert.equal(r.statusCode, 200);
    const card = /<li class="blurb" id="work_(\d+)"[\s\S]*?<\/li>\s*(?=<li class="blurb"|<\/ol>)/.exec(r.body);
    assert.ok(card, 'a result card');
    const excerpt = /<div class="search-excerpt">[\s\S]*?<div>([\s\S]*?)<\/div>/.exec(card[0]);
    assert.ok(excerpt, 'the excerpt is inside the card');
    assert.match(excerpt[1]!, /<mark>/);
    assert.match(excerpt[1]!, /^(…|[A-Z“"‘'(]|<mark>[A-Z])/, `starts at a sentence, or says it was cut: ${excerpt[1]}`);
    // Between the count and the first result there is at most a closed disclosure, not a form.
    const between = r.body.slice(r.body.indexOf('id="listing-count"'), r.body.indexOf('<li class="blurb"'));
    assert.match(between, /<details class="save-search"><summary>Save this search<\/summary>/);
  });

  it('filters by included and excluded fandoms and counts tags in the sidebar', async () => {
    const r = await guest().get('/works/search?fandoms=Harry+Potter&exclude_fandoms=The+Vampire+Diaries+(TV)');
    assert.equal(r.statusCode, 200);
    const listed = listedIds(r.body);
    assert.ok(listed.includes(ids.hp!) && listed.includes(ids.hp2!) && listed.includes(ids.othercreator!));
    assert.ok(!listed.includes(ids.cross!) && !listed.includes(ids.tvd!));
    assert.match(r.body, /of 3 works found/);
    // Fluff appears on one of the three; Harry Potter on all three.
    assert.match(r.body, /<span class="facet-name">Fluff<\/span> <span class="facet-count">\(1\)<\/span>/);
    assert.match(r.body, /<span class="facet-name">Harry Potter<\/span> <span class="facet-count">\(3\)<\/span>/);
    const include = /href="(\/works\/search\?[^"]*with=\d+[^"]*)" aria-label="Only works tagged Fluff"/.exec(r.body);
    assert.ok(include, 'an include link for Fluff');
    const narrowed = await guest().get(include[1]!.replace(/&amp;/g, '&'));
    assert.deepEqual(listedIds(narrowed.body), [ids.hp]);
  });

  it('handles crossovers, ratings, complete and word ranges', async () => {
    assert.deepEqual(listedIds((await guest().get('/works/search?crossover=only')).body), [ids.cross]);
    const noCross = listedIds((await guest().get('/works/search?crossover=exclude')).body);
    assert.ok(!noCross.includes(ids.cross!) && noCross.includes(ids.tvd!));
    assert.deepEqual(listedIds((await guest().get('/works/search?ratings=Explicit')).body), [ids.hp2]);
    const some = listedIds(
      (await guest().get('/works/search?ratings=Explicit&ratings=Teen+And+Up+Audiences&complete=complete&words_from=1&words_to=100000'))
        .body,
    );
    assert.deepEqual(new Set(some), new Set([ids.hp, ids.hp2]));
  });

  it('runs the query language, with fields, exclusion and OR', async () => {
    const r = await guest().get(
      `/works/search?q=${encodeURIComponent('fandom:"Harry Potter" -freeform:Fluff (title:quidditch OR creator:othercreator)')}`,
    );
    assert.equal(r.statusCode, 200);
    assert.deepEqual(new Set(listedIds(r.body)), new Set([ids.hp2, ids.othercreator]));
  });

  it('finds words inside the text of works and highlights them safely', async () => {
    const r = await guest().get('/works/search?q=parchment');
    assert.equal(r.statusCode, 200);
    assert.deepEqual(listedIds(r.body), [ids.hp]);
    assert.match(r.body, /<mark>parchment<\/mark>/);
    assert.doesNotMatch(r.body, /<script>alert/);
  });

  it('refuses a bad query with a 422 that points at the problem', async () => {
    const r = await guest().get(`/works/search?q=${encodeURIComponent('fandom:X words:>lots')}`);
    assert.equal(r.statusCode, 422);
    assert.match(r.body, /takes a number/);
    assert.match(r.body, /fandom:X words:>lots\n {15}\^\^\^\^\^/);
    const bad = await guest().get('/works/search?words_from=many&sort=sideways');
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /must be a whole number/);
    assert.match(bad.body, /Choose a sort order/);
  });

  it('never shows drafts, and restricted works only to signed-in readers, in results and counts', async () => {
    const asGuest = await guest().get('/works/search?q=vampire');
    assert.ok(!listedIds(asGuest.body).includes(ids.restricted!));
    assert.doesNotMatch(asGuest.body, /Members Only|Unfinished Draft/);
    const guestCount = await guest().get('/works/search?fandoms=Harry+Potter');
    const readerCount = await reader.get('/works/search?fandoms=Harry+Potter');
    assert.match(guestCount.body, /<span class="facet-name">Harry Potter<\/span> <span class="facet-count">\(4\)<\/span>/);
    assert.match(readerCount.body, /<span class="facet-name">Harry Potter<\/span> <span class="facet-count">\(5\)<\/span>/);
    assert.ok(listedIds(readerCount.body).includes(ids.restricted!));
    assert.doesNotMatch(readerCount.body, /Unfinished Draft/);
    const authorView = await author.get('/works/search?q=draft');
    assert.doesNotMatch(authorView.body, /Unfinished Draft/);
  });

  it('sorts by title, kudos-to-hits ratio and word count', async () => {
    const byTitle = listedIds((await guest().get('/works/search?sort=title')).body);
    assert.deepEqual(byTitle, [ids.othercreator, ids.cross, ids.hp, ids.tvd, ids.hp2]);
    const r = await guest().get('/works/search?sort=ratio');
    assert.equal(r.statusCode, 200);
    assert.equal(listedIds(r.body).length, 5);
  });

  it('hides a reader’s hidden fandoms and creators from listings and search', async () => {
    const hide = await reader.post('/preferences/filters', { kind: 'tag', tag_type: 'fandom', name: 'The Vampire Diaries (TV)' });
    assert.equal(hide.statusCode, 303);
    const hideCreator = await reader.post('/preferences/filters', { kind: 'creator', name: 'othercreator' });
    assert.equal(hideCreator.statusCode, 303);
    const unknown = await reader.post('/preferences/filters', { kind: 'tag', name: 'No Such Tag Anywhere' });
    assert.equal(unknown.statusCode, 422);
    assert.match(unknown.body, /There is no tag called/);
    const listing = listedIds((await reader.get('/works')).body);
    assert.ok(!listing.includes(ids.tvd!) && !listing.includes(ids.cross!) && !listing.includes(ids.othercreator!));
    assert.ok(listing.includes(ids.hp!));
    const search = listedIds((await reader.get('/works/search?q=vampire')).body);
    assert.ok(!search.includes(ids.tvd!) && !search.includes(ids.othercreator!));
    // Others are unaffected.
    assert.ok(listedIds((await guest().get('/works')).body).includes(ids.tvd!));
    const page = await reader.get('/preferences/filters');
    assert.match(page.body, /works by othercreator/);
  });

  it('saves a search, serves a well-formed Atom feed without restricted works, and counts new matches', async () => {
    const saver = await new TestVisitor(t.app).signUp('saver');
    const saved = await saver.post('/users/saver/saved_searches', { name: 'HP & <friends>', query: 'fandoms=Harry+Potter' });
    assert.equal(saved.statusCode, 303);
    const list = await saver.get('/users/saver/saved_searches');
    assert.match(list.body, /HP &amp; &lt;friends>/);
    const feedHref = /href="(\/users\/saver\/saved_searches\/\d+\/feed\.atom\?token=[\w-]+)"/.exec(list.body)?.[1];
    assert.ok(feedHref);
    // The feed's URL is its secret: without the token (or with another) there is no feed.
    assert.equal((await guest().get(feedHref.replace(/\?token=.*/, ''))).statusCode, 404);
    assert.equal((await guest().get(feedHref.replace(/token=.*/, 'token=not-the-token'))).statusCode, 404);
    const feed = await guest().get(feedHref);
    assert.equal(feed.statusCode, 200);
    assert.match(String(feed.headers['content-type']), /application\/atom\+xml/);
    assertWellFormedXml(feed.body);
    assert.match(feed.body, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
    assert.match(feed.body, /<title>Library Nights<\/title>/);
    assert.match(feed.body, /HP &amp; &lt;friends&gt;/);
    assert.doesNotMatch(feed.body, /Members Only|Unfinished Draft/);
    assert.match((await saver.get('/users/saver/saved_searches')).body, /nothing new since you last looked/);
    await post('later', { title: 'A Later Work', fandoms: 'Harry Potter', body: 'New.' });
    await post('later2', { title: 'Another Later Work', fandoms: 'Harry Potter', body: 'Newer.' });
    assert.match((await saver.get('/users/saver/saved_searches')).body, /2 new since you last looked/);
    assert.equal((await reader.get('/users/saver/saved_searches')).statusCode, 403);
    assert.equal((await guest().get('/users/saver/saved_searches/99999/feed.atom')).statusCode, 404);
  });
});

describe('search: a phrase with many candidate works', () => {
  let t: TestApp;
  const saved = { ...PHRASE_TUNING };

  before(async () => {
    t = await createTestApp();
    const author = await new TestVisitor(t.app).signUp('lanterns');
    // 44 works hold the phrase; 6 hold both words apart.
    for (let k = 0; k < 50; k++) {
      const body = k % 8 === 7 ? `Silver light fell on lantern ${k}.` : `The silver lantern burned in room ${k}.`;
      const r = await author.post('/works', buildWorkForm({ title: `Lantern ${k}`, fandoms: 'Original Work', body }));
      assert.equal(r.statusCode, 303, r.body.slice(0, 500));
    }
  });
  after(async () => {
    Object.assign(PHRASE_TUNING, saved);
    await t.close();
  });

  it('says "about" when it checked the phrase only until the page was full, and counts exactly otherwise', async () => {
    const path = `/works/search?q=${encodeURIComponent('"silver lantern"')}&sort=posted`;
    // The first search builds the index; the page then comes from it.
    assert.ok(await ensureFacetIndex(t.db));
    const exact = await guestOf(t).get(path);
    assert.equal(exact.statusCode, 200);
    assert.match(exact.body, /1 – 20 of 44 works found/);
    assert.equal(listedIds(exact.body).length, 20);
    // the API says the same, and flags an estimate where the page says "about"
    const fromApi = async (): Promise<{ total: number; total_estimated: boolean; works: { id: number }[] }> =>
      JSON.parse((await t.app.inject({ method: 'GET', url: `/api/v1${path}` })).body);
    const exactApi = await fromApi();
    assert.equal(exactApi.total, 44);
    assert.equal(exactApi.total_estimated, false);
    // Lowered so that these few works are "many": the phrase is checked on the first ones in order.
    Object.assign(PHRASE_TUNING, { exactUpTo: 0, firstBatch: 1, sample: 2, orderedShare: 1 });
    const early = await guestOf(t).get(path);
    assert.equal(early.statusCode, 200);
    assert.match(early.body, /1 – 20 of about [\d,]+ works found/);
    assert.match(early.body, /\(about [\d,]+\)/, 'the sidebar counts say they are estimates too');
    assert.deepEqual(listedIds(early.body), listedIds(exact.body), 'the same works in the same order');
    const earlyApi = await fromApi();
    assert.equal(earlyApi.total_estimated, true);
    assert.deepEqual(
      earlyApi.works.map((w) => w.id),
      exactApi.works.map((w) => w.id),
      'the API pages the same works in the same order',
    );
  });
});

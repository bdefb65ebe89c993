import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';

/** The ids of the works listed on a page, in order. */
function listedIds(html: string): number[] {
  return [...html.matchAll(/<li class="blurb" id="work_(\d+)"/g)].map((m) => Number(m[1]));
}

const unescapeAmpersands = (href: string) => href.replace(/&amp;/g, '&');
const TAG_PAGE = '/tags/Harbour%20Lights/works';

describe('listings: one filtered, sorted, numbered listing wherever works are listed', () => {
  let t: TestApp;
  let author: TestVisitor;
  let reader: TestVisitor;
  const guest = () => new TestVisitor(t.app);
  const ids: Record<string, number> = {};
  let fluff = 0;

  const post = async (visitor: TestVisitor, key: string, overrides: Record<string, string | string[]>) => {
    const r = await visitor.post('/works', buildWorkForm({ fandoms: 'Harbour Lights', ...overrides }));
    assert.equal(r.statusCode, 303, r.body.slice(0, 400));
    ids[key] = Number(/^\/works\/(\d+)$/.exec(String(r.headers.location))![1]);
  };

  before(async () => {
    t = await createTestApp();
    author = await new TestVisitor(t.app).signUp('lister');
    reader = await new TestVisitor(t.app).signUp('listing_reader');
    const mimic = await new TestVisitor(t.app).signUp('mimic');
    // Another user's pseud with the same name as the author's login: not the author's work.
    assert.equal((await mimic.post('/users/mimic/pseuds', { name: 'lister' })).statusCode, 303);
    assert.equal((await author.post('/users/lister/pseuds', { name: 'Lantern' })).statusCode, 303);
    const pseud = (name: string) =>
      t.db
        .selectFrom('pseuds')
        .innerJoin('users', 'users.id', 'pseuds.user_id')
        .select('pseuds.id')
        .where('pseuds.name', '=', name)
        .where('users.login', '=', name === 'Lantern' ? 'lister' : 'mimic')
        .executeTakeFirstOrThrow();
    for (let i = 1; i <= 22; i++) {
      await post(author, `h${i}`, {
        title: `Harbour ${String(i).padStart(2, '0')}`,
        freeforms: i % 2 === 0 ? 'Fluff' : 'Angst',
        body: `Harbour story number ${i}.`,
      });
    }
    await post(author, 'lantern', { title: 'Lantern Work', freeforms: 'Storms', pseud_id: String((await pseud('Lantern')).id) });
    await post(mimic, 'mimic', { title: 'Mimic Work', freeforms: 'Storms', pseud_id: String((await pseud('lister')).id) });
    await post(author, 'restricted', { title: 'Members Harbour', freeforms: 'Fluff', restricted: 'on' });
    const tag = await t.db.selectFrom('tags').select('id').where('name', '=', 'Fluff').executeTakeFirstOrThrow();
    fluff = tag.id;
  });
  after(() => t.close());

  it('gives a tag page the filter sidebar with counts, a sort, and numbered pages', async () => {
    const r = await guest().get(TAG_PAGE);
    assert.equal(r.statusCode, 200);
    assert.match(r.body, /<details class="listing-filters" id="filters"><summary class="listing-filters-toggle">Filters/);
    assert.match(r.body, /<select id="field-sort" name="sort"/);
    // Eleven public works carry Fluff (the restricted one is not counted for a guest).
    assert.match(r.body, new RegExp(`name="with" value="${fluff}"/> <span>Fluff<span class="facet-count"> \\(11\\)</span>`));
    assert.match(r.body, new RegExp(`name="without" value="${fluff}"/>`));
    assert.doesNotMatch(r.body, /name="with" value="\d+"\/> <span>Harbour Lights</, 'the page’s own tag is not offered');
    assert.match(r.body, /1 – 20 of 24 works/);
    assert.equal(listedIds(r.body).length, 20);
    assert.match(r.body, /<span class="page-current" aria-current="page"><span class="visually-hidden">Page <\/span>1<\/span>/);
    assert.match(r.body, /<a href="\/tags\/Harbour%20Lights\/works\?page=2"><span class="visually-hidden">Page <\/span>2<\/a>/);
    const members = await reader.get(TAG_PAGE);
    assert.match(members.body, /of 25 works/, 'a signed-in reader also sees the restricted work');
  });

  it('filters from the sidebar, shows each filter as a chip, and keeps filters and sort on every control', async () => {
    const r = await guest().get(`${TAG_PAGE}?with=${fluff}&sort=title`);
    assert.equal(r.statusCode, 200);
    const listed = listedIds(r.body);
    assert.deepEqual(
      listed,
      [2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22].map((i) => ids[`h${i}`]),
      'the Fluff works, by title',
    );
    assert.match(r.body, new RegExp(`name="with" value="${fluff}" checked/>`), 'the checkbox stays checked');
    assert.match(r.body, /<option value="title" selected>/, 'the sort stays chosen');
    const chip = /<a class="chip" href="([^"]*)"><span class="visually-hidden">Remove filter: <\/span>Additional tag: Fluff/.exec(r.body);
    assert.ok(chip, 'a chip for the included tag');
    assert.equal(unescapeAmpersands(chip[1]!), `${TAG_PAGE}?sort=title`, 'removing it keeps the sort');
    const excluded = await guest().get(`${TAG_PAGE}?without=${fluff}&sort=title`);
    assert.equal(listedIds(excluded.body).length, 13);
    assert.match(
      excluded.body,
      /<a class="chip chip-excluded" href="[^"]*"><span class="visually-hidden">Remove filter: <\/span><span class="chip-kind">excluded<\/span>Additional tag: Fluff/,
    );
    assert.match(excluded.body, new RegExp(`name="without" value="${fluff}" checked/>`), 'the excluded tag stays listed, checked');
  });

  it('keeps the filters and sort in the page links', async () => {
    const r = await guest().get(`${TAG_PAGE}?sort=title&crossover=exclude`);
    assert.match(r.body, /1 – 20 of 24 works/);
    const next = /<a href="([^"]*)" rel="next">/.exec(r.body);
    assert.ok(next);
    assert.equal(unescapeAmpersands(next[1]!), `${TAG_PAGE}?crossover=exclude&sort=title&page=2`);
    const second = await guest().get(unescapeAmpersands(next[1]!));
    assert.equal(listedIds(second.body).length, 4);
    assert.match(second.body, /21 – 24 of 24 works/);
    assert.match(second.body, /No crossovers/, 'the chip is still there');
  });

  it('answers a page past the last with a 404 that links to the last page, filters kept', async () => {
    const r = await guest().get(`${TAG_PAGE}?sort=title&page=3`);
    assert.equal(r.statusCode, 404);
    assert.match(r.body, /There is no page 3 here/);
    assert.match(r.body, /<a href="\/tags\/Harbour%20Lights\/works\?sort=title&amp;page=2">Go to the last page \(page 2\)<\/a>/);
    const works = await guest().get('/works?page=99');
    assert.equal(works.statusCode, 404);
    assert.match(works.body, /<a href="\/works\?page=2">/);
    assert.equal((await guest().get('/works?page=2')).statusCode, 200);
    assert.doesNotMatch((await guest().get(`${TAG_PAGE}?page=2`)).body, /of 24 works[\s\S]*of 24 works/);
  });

  it('lists a user’s works from all their pseuds, and a pseud’s works from that pseud only, with the same sidebar', async () => {
    const user = await guest().get('/users/lister/works');
    assert.equal(user.statusCode, 200);
    const listed = listedIds(user.body);
    assert.match(user.body, /1 – 20 of 23 works/);
    assert.ok(!listed.includes(ids.mimic!), 'another user’s pseud of the same name is not this user');
    assert.match(user.body, /<details class="listing-filters"/);
    const storms = await guest().get('/users/lister/works?tags=Storms');
    assert.deepEqual(listedIds(storms.body), [ids.lantern]);
    const pseud = await guest().get('/users/lister/pseuds/Lantern/works');
    assert.deepEqual(listedIds(pseud.body), [ids.lantern]);
    const mimic = await guest().get('/users/mimic/works');
    assert.deepEqual(listedIds(mimic.body), [ids.mimic]);
  });

  it('refuses bad filter values with a 422 that says what is wrong and keeps the typing', async () => {
    const r = await guest().get('/works?words_from=lots&sort=title');
    assert.equal(r.statusCode, 422);
    assert.match(r.body, /The smallest word count must be a whole number\./);
    assert.match(r.body, /<option value="title" selected>/, 'the chosen sort is kept too');
    assert.match(r.body, /name="words_from" type="text" value="lots"/);
    assert.match(r.body, /<details class="listing-filters" id="filters" open>/, 'the sidebar opens on the problem');
    const page = await guest().get('/works?page=abc');
    assert.equal(page.statusCode, 422);
  });
});

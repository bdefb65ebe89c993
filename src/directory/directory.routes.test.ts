import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { makeAdmin, workIdOf } from '../../test/staff.ts';

/** Each fandom named on the page with its count, in page order. */
const fandomsListed = (html: string) =>
  [...html.matchAll(/<li><a href="\/tags\/[^"]+\/works">([^<]+)<\/a> <span class="count">\((\d+)\)<\/span><\/li>/g)].map(
    (m) => `${m[1]!.replace(/&amp;/g, '&')} ${m[2]}`,
  );

describe('fandom directories', () => {
  let t: TestApp;
  let author: TestVisitor;
  let admin: TestVisitor;
  const tagIdOf = async (name: string) =>
    (await t.db.selectFrom('tags').select('id').where('type', '=', 'fandom').where('name', '=', name).executeTakeFirstOrThrow()).id;
  const wrangle = async (names: string[], action: string, target = '') => {
    const ids = await Promise.all(names.map(tagIdOf));
    const r = await admin.post('/wrangling', { tag_ids: ids.map(String), action, target });
    assert.equal(r.statusCode, 303, r.body.slice(0, 300));
  };

  before(async () => {
    t = await createTestApp();
    author = await new TestVisitor(t.app).signUp('diraauthor');
    admin = await new TestVisitor(t.app).signUp('diradmin');
    await makeAdmin(t.db, 'diradmin');
    const post = (fandoms: string, extra: Record<string, string> = {}) =>
      author.post('/works', buildWorkForm({ title: `In ${fandoms}`, fandoms, ...extra }));
    await post('The Witcher (TV)');
    await post('The Witcher (TV)');
    await post('Witcher Show'); // becomes a synonym of The Witcher (TV): counts for it
    await post('Avatar: The Last Airbender');
    await post('1989 Fandom');
    await post('Ångström Saga');
    await post('Loose Fandom'); // canonical, no media: Uncategorized
    await post('Unwrangled Fandom'); // not canonical: in no directory
    await post('Draft Fandom', { action: 'draft' });
    await post('Restricted Fandom', { restricted: '1' });
    const hidden = await post('Hidden Fandom');
    await wrangle(
      [
        'The Witcher (TV)',
        'Avatar: The Last Airbender',
        '1989 Fandom',
        'Ångström Saga',
        'Loose Fandom',
        'Draft Fandom',
        'Restricted Fandom',
        'Hidden Fandom',
      ],
      'canonical',
    );
    await wrangle(['Witcher Show'], 'synonym', 'The Witcher (TV)');
    await wrangle(
      ['The Witcher (TV)', '1989 Fandom', 'Ångström Saga', 'Draft Fandom', 'Restricted Fandom', 'Hidden Fandom'],
      'add_media',
      'TV Shows',
    );
    await wrangle(['Avatar: The Last Airbender'], 'add_media', 'TV Shows, Cartoons & Comics & Graphic Novels');
    await t.db
      .insertInto('hidden_works')
      .values({ work_id: workIdOf(hidden.headers.location), reason: 'test', hidden_by: null })
      .execute();
  });
  after(() => t.close());

  it('lists every media with its fandom count and biggest fandoms, Uncategorized last', async () => {
    const page = await new TestVisitor(t.app).get('/media');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<a href="\/media\/TV%20Shows\/fandoms">TV Shows<\/a> <span class="count">\(4\)<\/span>/);
    assert.match(page.body, /Cartoons \*a\* Comics|Cartoons%20\*a\*%20Comics/);
    assert.deepEqual(fandomsListed(page.body.split('TV Shows</a>')[1]!.split('</ol>')[0]!), [
      'The Witcher (TV) 3',
      '1989 Fandom 1',
      'Ångström Saga 1',
      'Avatar: The Last Airbender 1',
    ]);
    assert.ok(page.body.indexOf('Uncategorized Fandoms') > page.body.indexOf('>TV Shows<'), 'Uncategorized comes last');
    // Media with no fandom yet: one line at the end, each still a link.
    assert.match(page.body, /No fandoms with works yet in <a href="\/media\/Anime%20\*a\*%20Manga\/fandoms">Anime &amp; Manga<\/a>/);
    assert.match(page.body, /Loose Fandom/);
    assert.doesNotMatch(page.body, /Unwrangled Fandom|Draft Fandom|Hidden Fandom|Restricted Fandom/);
  });

  it('lists a media’s fandoms A to Z by letter, counting only works the visitor may read', async () => {
    const guest = await new TestVisitor(t.app).get('/media/TV%20Shows/fandoms');
    assert.equal(guest.statusCode, 200);
    assert.deepEqual(fandomsListed(guest.body), ['1989 Fandom 1', 'Ångström Saga 1', 'Avatar: The Last Airbender 1', 'The Witcher (TV) 3']);
    // "The Witcher" is filed under W, as AO3 sorts; digits under #, first.
    assert.match(guest.body, /<nav class="letter-index" aria-label="Fandoms by letter">/);
    const letters = [...guest.body.matchAll(/<h2 id="([^"]+)">([^<]+)<\/h2>/g)].map((m) => m[2]);
    assert.deepEqual(letters, ['#', 'A', 'W'], 'accented initials are filed under their letter');
    assert.match(guest.body, /href="#letter-W"/);
    // Signed in: restricted works count; drafts (even to their creator) and hidden works never do.
    const reader = await new TestVisitor(t.app).signUp('dirreader');
    assert.ok(fandomsListed((await reader.get('/media/tv%20shows/fandoms')).body).includes('Restricted Fandom 1'));
    for (const who of [reader, author, admin]) {
      const listed = fandomsListed((await who.get('/media/TV%20Shows/fandoms')).body);
      assert.ok(!listed.some((f) => f.startsWith('Draft') || f.startsWith('Hidden')), listed.join(', '));
    }
    const uncategorized = await new TestVisitor(t.app).get('/media/Uncategorized%20Fandoms/fandoms');
    assert.deepEqual(fandomsListed(uncategorized.body), ['Loose Fandom 1']);
    const encoded = await new TestVisitor(t.app).get('/media/Cartoons%20*a*%20Comics%20*a*%20Graphic%20Novels/fandoms');
    assert.deepEqual(fandomsListed(encoded.body), ['Avatar: The Last Airbender 1']);
  });

  it('follows wranglers filing a fandom under a media and taking it out again', async () => {
    await wrangle(['Loose Fandom'], 'add_media', 'Movies');
    assert.deepEqual(fandomsListed((await new TestVisitor(t.app).get('/media/Movies/fandoms')).body), ['Loose Fandom 1']);
    await wrangle(['Loose Fandom'], 'remove_media', 'Movies');
    assert.deepEqual(fandomsListed((await new TestVisitor(t.app).get('/media/Movies/fandoms')).body), []);
    assert.deepEqual(fandomsListed((await new TestVisitor(t.app).get('/media/Uncategorized%20Fandoms/fandoms')).body), ['Loose Fandom 1']);
  });

  it('answers an unknown media with a 404 that says where to look, and sends /fandoms to /media', async () => {
    const missing = await new TestVisitor(t.app).get('/media/Nothing%20Here/fandoms');
    assert.equal(missing.statusCode, 404);
    assert.match(missing.body, /There is no media called “Nothing Here”/);
    const fandoms = await new TestVisitor(t.app).get('/fandoms');
    assert.equal(fandoms.statusCode, 302);
    assert.equal(fandoms.headers.location, '/media');
  });

  it('puts a Fandoms link in the site navigation', async () => {
    assert.match((await new TestVisitor(t.app).get('/')).body, /<li><a href="\/media">Fandoms<\/a><\/li>/);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm, readFoundingStory } from '../../test/factories.ts';

/** The "Proposed by Fanfold" section of a page, or '' when there is none (the posting form's or the work page's). */
function panelOf(html: string): string {
  const start = html.indexOf('<section class="proposals"');
  if (start < 0) return '';
  return html.slice(start, html.indexOf('</section>', start) + '</section>'.length);
}

/** The values proposed at once (before the "less certain" disclosure), by kind. */
function shownValues(panel: string, kind: string): string[] {
  const cut = panel.indexOf('<details class="less-certain"');
  const shown = cut < 0 ? panel : panel.slice(0, cut);
  return [
    ...shown.matchAll(
      new RegExp(`<li class="proposal" data-kind="${kind}"><p class="proposal-head"><strong class="proposal-value">([^<]+)</strong>`, 'g'),
    ),
  ].map((m) => m[1]!.replace(/&amp;/g, '&'));
}

describe('proposals of canonical tags, category and additional tags', () => {
  let t: TestApp;
  let author: TestVisitor;
  before(async () => {
    t = await createTestApp();
    author = await new TestVisitor(t.app).signUp('prop_author');
    const insertTag = async (type: 'fandom' | 'character' | 'freeform', name: string, canonical: boolean, mergerId: number | null = null) =>
      (
        await t.db
          .insertInto('tags')
          .values({ type, name, canonical, merger_id: mergerId, unwrangled: false })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const fandom = await insertTag('fandom', 'The Vampire Diaries (TV)', true);
    const characters = await Promise.all(
      ['Caroline Forbes', 'Stefan Salvatore', 'Damon Salvatore', 'Elena Gilbert', 'Matt Donovan', 'Liz Forbes'].map((n) =>
        insertTag('character', n, true),
      ),
    );
    await t.db
      .insertInto('tag_parents')
      .values(characters.map((child_id) => ({ parent_id: fandom, child_id, kind: 'fandom' as const })))
      .execute();
    // The archive's own spelling of an additional tag, reached through a synonym of the set's name.
    const grief = await insertTag('freeform', 'Grief/Mourning', true);
    await insertTag('freeform', 'Grief', false, grief);
    await insertTag('freeform', 'Hurt/Comfort', true);
  });
  after(() => t.close());

  it('the founding story on the posting form proposes "Caroline Forbes", the fandom, F/M and additional tags', async () => {
    const form = buildWorkForm({
      body: readFoundingStory(),
      title: 'Founding',
      fandoms: '',
      characters: '',
      relationships: '',
      freeforms: '',
      categories: [],
      action: 'analyze',
    });
    const r = await author.post('/works', form);
    assert.equal(r.statusCode, 200, r.body.slice(0, 500));
    const panel = panelOf(r.body);
    assert.ok(shownValues(panel, 'character').includes('Caroline Forbes'), shownValues(panel, 'character').join(', '));
    assert.ok(!shownValues(panel, 'character').includes('Caroline'), 'not the first name the story uses');
    assert.deepEqual(shownValues(panel, 'fandom'), ['The Vampire Diaries (TV)']);
    assert.deepEqual(shownValues(panel, 'category'), ['F/M']);
    assert.ok(shownValues(panel, 'relationship').includes('Caroline Forbes/Stefan Salvatore'));
    const freeforms = shownValues(panel, 'freeform');
    assert.ok(freeforms.includes('Hurt/Comfort'), freeforms.join(', '));
    assert.ok(freeforms.includes('Grief/Mourning'), `the archive's canonical name: ${freeforms.join(', ')}`);
    assert.ok(!freeforms.includes('Grief'));
    // Each shown proposal says how sure it is; the category rests on the pair's passages.
    assert.match(
      panel,
      /data-kind="category"><p class="proposal-head"><strong class="proposal-value">F\/M<\/strong> <span class="meta">\(Caroline Forbes \(f\) \/ Stefan Salvatore \(m\); \d+% sure\)<\/span>/,
    );
    // Violence is never friendship evidence, nor shown as such.
    assert.doesNotMatch(panel, /Caroline Forbes &amp; Damon Salvatore[^<]*<\/strong> <span class="meta">\(friendship/);

    // Accepting the category and an additional tag puts them in their fields; nothing is posted.
    const cat = await author.post(`/works?accept=${encodeURIComponent('category:F/M')}`, form);
    assert.equal(cat.statusCode, 200);
    assert.match(cat.body, /name="categories" value="F\/M" checked/);
    const ff = await author.post(`/works?accept=${encodeURIComponent('freeform:Hurt/Comfort')}`, form);
    assert.match(ff.body, /name="freeforms"[^>]*value="Hurt\/Comfort"/);
    assert.equal(await t.db.selectFrom('works').select('id').where('title', '=', 'Founding').executeTakeFirst(), undefined);
    // A category outside AO3's list is not accepted into the form.
    const bad = await author.post(`/works?accept=${encodeURIComponent('category:Romance')}`, form);
    assert.doesNotMatch(bad.body, /name="categories" value="Romance"/);
  });

  it('the work page proposes the same, and accepting the category adds it to the work', async () => {
    const r = await author.post(
      '/works',
      buildWorkForm({ body: readFoundingStory(), fandoms: 'Unknown', characters: '', relationships: '', freeforms: '', categories: [] }),
    );
    assert.equal(r.statusCode, 303, r.body.slice(0, 300));
    const workId = Number(/\/works\/(\d+)$/.exec(String(r.headers.location))![1]);
    await t.app.jobs.drain();
    const panel = panelOf((await author.get(`/works/${workId}`)).body);
    assert.ok(shownValues(panel, 'character').includes('Caroline Forbes'), panel.slice(0, 1500));
    assert.deepEqual(shownValues(panel, 'category'), ['F/M']);
    assert.ok(shownValues(panel, 'freeform').includes('Grief/Mourning'));
    // Less certain proposals wait behind a disclosure that works without JavaScript.
    assert.match(panel, /<details class="less-certain"><summary>Show less certain proposals \(\d+\)<\/summary>/);

    const ok = await author.post(`/works/${workId}/proposals/accept`, { kind: 'category', value: 'F/M' });
    assert.equal(ok.statusCode, 303);
    const tags = await t.db
      .selectFrom('work_tags')
      .innerJoin('tags', 'tags.id', 'work_tags.tag_id')
      .select(['tags.type', 'tags.name'])
      .where('work_id', '=', workId)
      .execute();
    assert.ok(tags.some((x) => x.type === 'category' && x.name === 'F/M'));
    assert.deepEqual(
      shownValues(panelOf((await author.get(`/works/${workId}`)).body), 'category'),
      [],
      'a work with a category gets none proposed',
    );
    const bad = await author.post(`/works/${workId}/proposals/accept`, { kind: 'category', value: 'Romance' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /Choose a category from the list/);
  });

  it('proposes no additional tags for a story in another language', async () => {
    const spanish = [
      'El funeral fue un martes gris. Lucía lloraba junto a la tumba de su madre y Mateo la abrazaba.',
      '—No puedo más —dijo Lucía—. La echo tanto de menos.',
      '—Estoy aquí —respondió Mateo, y la abrazó con fuerza mientras ella lloraba.',
      'Durante semanas Lucía lloró a su madre. Mateo la consolaba cada noche y le secaba las lágrimas.',
    ].join('\n\n');
    const r = await author.post(
      '/works',
      buildWorkForm({ body: spanish, characters: '', relationships: '', freeforms: '', action: 'analyze' }),
    );
    assert.equal(r.statusCode, 200);
    const panel = panelOf(r.body);
    assert.match(panel, /Proposed by Fanfold/);
    assert.doesNotMatch(panel, /data-kind="freeform"/);
  });
});

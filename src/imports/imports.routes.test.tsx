import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm, readFoundingStory } from '../../test/factories.ts';
import { htmlToText } from '../works/text/index.ts';

const AO3_HTML = `<!DOCTYPE html>
<html><head><meta charset="UTF-8"><title>The Long Night - Someone - Teen Wolf (TV)</title></head>
<body>
<div id="preface">
  <p class="message"><b>The Long Night</b><br/>Posted originally on the <a href="http://archiveofourown.org/">Archive of Our Own</a> at <a href="http://archiveofourown.org/works/12345">http://archiveofourown.org/works/12345</a>.</p>
  <div class="meta">
    <dl class="tags">
      <dt>Rating:</dt><dd><a class="tag" href="http://archiveofourown.org/tags/Teen%20And%20Up%20Audiences">Teen And Up Audiences</a></dd>
      <dt>Archive Warning:</dt><dd><a class="tag" href="#">No Archive Warnings Apply</a></dd>
      <dt>Category:</dt><dd><a class="tag" href="#">M/M</a>, <a class="tag" href="#">Gen</a></dd>
      <dt>Fandom:</dt><dd><a class="tag" href="#">Teen Wolf (TV)</a></dd>
      <dt>Relationship:</dt><dd><a class="tag" href="#">Derek Hale/Stiles Stilinski</a></dd>
      <dt>Character:</dt><dd><a class="tag" href="#">Stiles Stilinski</a>, <a class="tag" href="#">Derek Hale</a></dd>
      <dt>Additional Tags:</dt><dd><a class="tag" href="#">Hurt/Comfort</a>, <a class="tag" href="#">Slow Burn</a></dd>
      <dt>Language:</dt><dd>English</dd>
      <dt>Stats:</dt><dd>Published: 2020-01-01 Completed: 2020-02-01 Words: 30 Chapters: 2/2</dd>
    </dl>
    <h1>The Long Night</h1>
    <div class="byline">by <a rel="author" href="http://archiveofourown.org/users/someone/pseuds/someone">someone</a></div>
    <p>Summary</p>
    <blockquote class="userstuff"><p>Stiles can't sleep &amp; Derek notices.</p></blockquote>
    <p>Notes</p>
    <blockquote class="userstuff"><p>For my friend.</p></blockquote>
  </div>
</div>
<div id="chapters" class="userstuff">
  <h2 class="toc-heading">Chapter 1: Insomnia</h2>
  <div class="meta group"><p>Chapter Notes</p><blockquote class="userstuff"><p>Here we go.</p></blockquote></div>
  <div class="userstuff"><p>It was three in the morning.</p><p>"Go to sleep," Derek said.</p></div>
  <div class="meta group"><p>Chapter End Notes</p><blockquote class="userstuff"><p>More soon.</p></blockquote></div>
  <h2 class="toc-heading">Chapter 2</h2>
  <div class="userstuff"><p>Morning came <em>eventually</em>.</p></div>
</div>
<div id="afterword"><div id="endnotes"><p>End Notes</p><blockquote class="userstuff"><p>Thanks for reading!</p></blockquote></div></div>
</body></html>`;

describe('import from elsewhere', () => {
  let t: TestApp;
  let author: TestVisitor;
  let dataDir: string;
  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fanfold-imports-'));
    t = await createTestApp({ DATA_DIR: dataDir });
    author = await new TestVisitor(t.app).signUp('importer');
  });
  after(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const tokenOf = (html: string) => /name="import_token" value="([0-9a-f]{32})"/.exec(html)?.[1] ?? '';
  /** The preview form's fields as the page shows them (what a browser would submit unchanged). */
  const formOf = (html: string): Record<string, string | string[]> => {
    const form: Record<string, string | string[]> = {};
    const decode = (s: string) =>
      s
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&');
    for (const m of html.matchAll(/<input id="field-(\w+)" name="\w+" type="text" value="([^"]*)"/g)) form[m[1]!] = decode(m[2]!);
    for (const m of html.matchAll(/<textarea id="field-(\w+)"[^>]*>([\s\S]*?)<\/textarea>/g)) form[m[1]!] = decode(m[2]!);
    for (const m of html.matchAll(/<select id="field-(\w+)"[^>]*>([\s\S]*?)<\/select>/g))
      form[m[1]!] = decode(/<option value="([^"]*)" selected/.exec(m[2]!)?.[1] ?? '');
    for (const name of ['warnings', 'categories'])
      form[name] = [...html.matchAll(new RegExp(`name="${name}" value="([^"]+)" checked`, 'g'))].map((m) => decode(m[1]!));
    form.import_token = tokenOf(html);
    return form;
  };

  async function chaptersOf(workId: number) {
    return t.db.selectFrom('chapters').selectAll().where('work_id', '=', workId).orderBy('position').execute();
  }

  it('round-trips a work through its EPUB: the same chapters, text, notes and tags come back', async () => {
    const posted = await author.post(
      '/works',
      buildWorkForm({
        title: 'Round & Trip',
        summary: 'A summary with <em>emphasis</em>.',
        notes: 'Opening notes.',
        end_notes: 'Closing notes.',
        rating: 'Mature',
        warnings: ['Major Character Death'],
        categories: ['F/M'],
        fandoms: 'The Vampire Diaries (TV)',
        relationships: 'Caroline Forbes/Stefan Salvatore',
        characters: 'Caroline Forbes, Stefan Salvatore',
        freeforms: 'Grief, Hurt/Comfort',
        expected_chapters: '2',
        body: readFoundingStory(),
      }),
    );
    const original = Number(/\d+$/.exec(String(posted.headers.location))![0]);
    const second = await author.post(`/works/${original}/chapters`, {
      chapter_title: 'After',
      chapter_summary: 'Later.',
      chapter_notes: 'A note.',
      chapter_end_notes: 'An end note.',
      text_format: 'html',
      body: '<p>Line one<br>line two &amp; <strong>bold</strong></p><blockquote><p>Quoted.</p></blockquote><ul><li>a</li><li>b</li></ul><hr><p align="center">* * *</p>',
    });
    assert.equal(second.statusCode, 303);
    const epub = await author.get(`/downloads/${original}/Round_Trip.epub`);
    assert.equal(epub.statusCode, 200);

    const preview = await author.postMultipart(
      '/works/import',
      {},
      { file: { filename: 'Round_Trip.epub', content: epub.rawPayload, type: 'application/epub+zip' } },
    );
    assert.equal(preview.statusCode, 200, preview.body.slice(0, 500));
    assert.match(preview.body, /Read <strong>Round_Trip\.epub<\/strong> as an EPUB: 2 chapters/);
    assert.match(preview.body, /<td>After<\/td>/);
    assert.match(preview.body, /<dd>Caroline Forbes\/Stefan Salvatore<\/dd>/);
    const form = formOf(preview.body);
    assert.equal(form.title, 'Round & Trip');
    assert.equal(form.rating, 'Mature');
    assert.deepEqual(form.warnings, ['Major Character Death']);
    assert.equal(form.freeforms, 'Grief, Hurt/Comfort');

    const done = await author.post('/works/import/post', { ...form, action: 'post' });
    assert.equal(done.statusCode, 303, done.body.slice(0, 800));
    const imported = Number(/\d+$/.exec(String(done.headers.location))![0]);
    assert.notEqual(imported, original);
    const [a, b] = [await chaptersOf(original), await chaptersOf(imported)];
    assert.equal(b.length, a.length);
    for (const [i, chapter] of a.entries()) {
      assert.equal(b[i]!.title, chapter.title);
      assert.equal(htmlToText(b[i]!.body_html), htmlToText(chapter.body_html), `chapter ${i + 1} text`);
      assert.equal(b[i]!.word_count, chapter.word_count);
      for (const field of ['summary_html', 'notes_html', 'end_notes_html'] as const)
        assert.equal(htmlToText(b[i]![field]), htmlToText(chapter[field]), `chapter ${i + 1} ${field}`);
    }
    const works = await t.db.selectFrom('works').selectAll().where('id', 'in', [original, imported]).orderBy('id').execute();
    for (const field of ['title', 'language', 'word_count', 'chapter_count'] as const) assert.equal(works[1]![field], works[0]![field]);
    for (const field of ['summary_html', 'notes_html', 'end_notes_html'] as const)
      assert.equal(htmlToText(works[1]![field]), htmlToText(works[0]![field]));
    const tagsOf = async (id: number) =>
      (
        await t.db
          .selectFrom('work_tags')
          .innerJoin('tags', 'tags.id', 'work_tags.tag_id')
          .select(['tags.type', 'tags.name'])
          .where('work_id', '=', id)
          .execute()
      )
        .map((r) => `${r.type}:${r.name}`)
        .sort();
    assert.deepEqual(await tagsOf(imported), await tagsOf(original));
    // The draft file is gone once posted.
    assert.equal((await author.post('/works/import/post', { ...form, action: 'post' })).statusCode, 404);
  });

  it("recognises AO3's download HTML: tags by type, creators, notes, chapters with titles", async () => {
    const preview = await author.postMultipart(
      '/works/import',
      {},
      { file: { filename: 'The_Long_Night.html', content: AO3_HTML, type: 'text/html' } },
    );
    assert.equal(preview.statusCode, 200, preview.body.slice(0, 500));
    const body = preview.body;
    assert.match(body, /as an HTML download from AO3/);
    assert.match(body, /<dd>someone \(the work will be credited to you\)<\/dd>/);
    assert.match(body, /<dd>http:\/\/archiveofourown\.org\/works\/12345<\/dd>/);
    assert.match(body, /<dd>Derek Hale\/Stiles Stilinski<\/dd>/);
    assert.match(body, /<dd>Hurt\/Comfort, Slow Burn<\/dd>/);
    assert.match(body, /<td>Insomnia<\/td><td>11<\/td><td>notes, end notes<\/td>/);
    assert.match(body, /<td>\(untitled\)<\/td><td>3<\/td>/);
    assert.match(body, /Stiles can't sleep &amp; Derek notices\./);
    const form = formOf(body);
    assert.equal(form.rating, 'Teen And Up Audiences');
    assert.deepEqual(form.categories, ['Gen', 'M/M']);
    assert.equal(form.fandoms, 'Teen Wolf (TV)');
    const done = await author.post('/works/import/post', { ...form, action: 'draft' });
    assert.equal(done.statusCode, 303);
    const id = Number(/\d+$/.exec(String(done.headers.location))![0]);
    const chapters = await chaptersOf(id);
    assert.deepEqual(
      chapters.map((c) => c.title),
      ['Insomnia', ''],
    );
    assert.equal(htmlToText(chapters[0]!.body_html), 'It was three in the morning.\n\n"Go to sleep," Derek said.');
    assert.match(chapters[1]!.body_html, /<em>eventually<\/em>/);
    assert.match(chapters[0]!.notes_html, /Here we go\./);
    assert.match(chapters[0]!.end_notes_html, /More soon\./);
    const work = await t.db.selectFrom('works').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(work.is_draft, true);
    assert.match(work.end_notes_html, /Thanks for reading!/);
    assert.match(work.summary_html, /Derek notices/);
  });

  it("keeps AO3's formatting in an imported chapter: players, figures, tables and work-skin classes", async () => {
    const chapterHtml =
      '<p class="narration">Before the vid.</p>' +
      '<p><iframe src="http://www.youtube.com/embed/vid42" title="Storm vid" width="560" height="315" frameborder="0" allowfullscreen></iframe></p>' +
      '<audio src="https://archive.org/download/podfic/ch1.mp3" controls="controls" preload="metadata" crossorigin="anonymous">Podfic</audio>' +
      '<iframe src="https://tracker.example/embed/1"></iframe>' +
      '<figure class="fanart"><img src="https://art.example/a.png" alt="Fan art" align="left" border="1"><figcaption>Art by a friend</figcaption></figure>' +
      '<table width="80%" border="1" align="center"><tr><th width="30%">Name</th><td width="70%">Stiles</td></tr></table>' +
      '<ul type="square"><li>one</li></ul>' +
      '<div class="phone"><p class="text-message sent">u up?</p></div>';
    const file = AO3_HTML.replace('<p>Morning came <em>eventually</em>.</p>', chapterHtml);
    const preview = await author.postMultipart('/works/import', {}, { file: { filename: 'Vids.html', content: file, type: 'text/html' } });
    assert.equal(preview.statusCode, 200, preview.body.slice(0, 500));
    const done = await author.post('/works/import/post', { ...formOf(preview.body), action: 'draft' });
    assert.equal(done.statusCode, 303);
    const id = Number(/\d+$/.exec(String(done.headers.location))![0]);
    const html = (await chaptersOf(id))[1]!.body_html;
    assert.match(html, /<p class="narration">Before the vid\.<\/p>/);
    assert.match(
      html,
      /<iframe src="https:\/\/www\.youtube\.com\/embed\/vid42" title="Storm vid" width="560" height="315" frameborder="0" allowfullscreen><\/iframe>/,
    );
    assert.match(html, /<audio controls preload="metadata" src="https:\/\/archive\.org\/download\/podfic\/ch1\.mp3">Podfic<\/audio>/);
    assert.doesNotMatch(html, /tracker\.example|crossorigin/);
    assert.match(
      html,
      /<figure class="fanart"><img src="https:\/\/art\.example\/a\.png" alt="Fan art" align="left" border="1" \/><figcaption>Art by a friend<\/figcaption><\/figure>/,
    );
    assert.match(
      html,
      /<table width="80%" border="1" align="center"><tr><th width="30%">Name<\/th><td width="70%">Stiles<\/td><\/tr><\/table>/,
    );
    assert.match(html, /<ul type="square">/);
    assert.match(html, /<div class="phone"><p class="text-message sent">u up\?<\/p><\/div>/);
    // The creator reads a placeholder, not a player that loads by itself.
    const page = await author.get(`/works/${id}/chapters/${(await chaptersOf(id))[1]!.id}`);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /<iframe|<audio/);
    assert.match(page.body, /<span class="embed-title">Storm vid<\/span>/);
  });

  it('keeps what the author typed and explains errors before posting anything', async () => {
    const preview = await author.postMultipart(
      '/works/import',
      {},
      {
        file: {
          filename: 'page.html',
          content: '<html lang="fr"><head><title>Une page</title></head><body><p>Bonjour.</p></body></html>',
          type: 'text/html',
        },
      },
    );
    assert.equal(preview.statusCode, 200);
    const form = formOf(preview.body);
    assert.equal(form.title, 'Une page');
    assert.equal(form.language, 'fr');
    const before = await t.db
      .selectFrom('works')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const bad = await author.post('/works/import/post', { ...form, title: 'Kept Title', fandoms: '', action: 'post' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /Add at least one fandom/);
    assert.match(bad.body, /Choose a rating/);
    assert.match(bad.body, /value="Kept Title"/);
    const after = await t.db
      .selectFrom('works')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(after.n, before.n);
  });

  it("refuses files it cannot read with a message beside the file field, and others' drafts", async () => {
    const broken = await author.postMultipart(
      '/works/import',
      {},
      { file: { filename: 'broken.epub', content: Buffer.from('PK\u0003\u0004 not really a zip'), type: 'application/epub+zip' } },
    );
    assert.equal(broken.statusCode, 422);
    assert.match(broken.body, /not a readable EPUB/);
    const other = await author.postMultipart(
      '/works/import',
      {},
      { file: { filename: 'notes.docx', content: Buffer.from([1, 2, 3]), type: 'application/octet-stream' } },
    );
    assert.equal(other.statusCode, 422);
    assert.match(other.body, /Upload an EPUB/);
    const empty = await author.postMultipart('/works/import', {}, {});
    assert.equal(empty.statusCode, 422);
    const preview = await author.postMultipart('/works/import', {}, { file: { filename: 'x.html', content: AO3_HTML, type: 'text/html' } });
    const stranger = await new TestVisitor(t.app).signUp('stranger');
    assert.equal((await stranger.post('/works/import/post', { ...formOf(preview.body), action: 'post' })).statusCode, 404);
    assert.equal((await new TestVisitor(t.app).get('/works/import')).statusCode, 401);
  });
});

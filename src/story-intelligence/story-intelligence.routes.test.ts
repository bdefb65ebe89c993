import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm, readFoundingStory } from '../../test/factories.ts';
import { registerAnalysisJob } from './analysis-job.ts';
import { ANALYSIS_ATTEMPTS, contentHash } from './enqueue.ts';
import { analyzeChapterHtml } from './analyze-chapter.ts';
import type { ChapterAnalyzer } from './story-intelligence.service.ts';
import { TaskPool } from '../workers/task-pool.ts';
import { STORED_VERSION, type StoredAnalysis } from './stored.ts';

/** A story of our own: two friends who talk, a quarrel, a scene break. */
const STORY = [
  'Marianne Vale opened the shop at dawn. Marianne liked the quiet before the town woke.',
  '"You are late again," Marianne said when Tobias came in.',
  '"The bridge was closed," Tobias said. "I ran the whole way, Marianne."',
  'Marianne laughed and handed Tobias an apron. Tobias smiled at her.',
  '* * *',
  'The next morning Tobias did not come. Marianne waited by the window, and Marianne worried.',
  '"Where were you?" Marianne asked when Tobias finally appeared.',
  '"At the hospital," Tobias said quietly. "My brother is ill."',
].join('\n\n');

function workIdFrom(location: unknown): number {
  const match = /^\/works\/(\d+)$/.exec(String(location));
  assert.ok(match, `expected a redirect to a work, got ${String(location)}`);
  return Number(match[1]);
}

/** The "Proposed by Fanfold" panel of a page, or '' when there is none. */
function panelOf(html: string): string {
  const start = html.indexOf('<section class="proposals"');
  if (start < 0) return '';
  return html.slice(start, html.indexOf('</section>', start) + '</section>'.length);
}

describe('story intelligence in the archive', () => {
  let t: TestApp;
  let author: TestVisitor;
  let reader: TestVisitor;
  before(async () => {
    t = await createTestApp();
    author = await new TestVisitor(t.app).signUp('si_author');
    reader = await new TestVisitor(t.app).signUp('si_reader');
  });
  after(() => t.close());

  const post = async (overrides: Record<string, string | string[]> = {}) => {
    const r = await author.post('/works', buildWorkForm({ body: STORY, characters: '', relationships: '', ...overrides }));
    assert.equal(r.statusCode, 303, r.body.slice(0, 400));
    return workIdFrom(r.headers.location);
  };
  const analysesOf = (workId: number) =>
    t.db
      .selectFrom('chapter_analyses')
      .innerJoin('chapters', 'chapters.id', 'chapter_analyses.chapter_id')
      .select(['chapter_analyses.chapter_id', 'chapter_analyses.content_hash', 'chapter_analyses.result', 'chapters.body_html'])
      .where('chapters.work_id', '=', workId)
      .execute();

  it('analyses a work after posting, per chapter version, and again after an edit', async () => {
    const workId = await post();
    const queued = await t.db
      .selectFrom('jobs')
      .select(['kind', 'dedupe_key'])
      .where('kind', '=', 'analysis.chapter')
      .where('done_at', 'is', null)
      .execute();
    assert.ok(queued.length >= 1, 'posting enqueues the analysis');
    assert.deepEqual(await analysesOf(workId), [], 'nothing is analysed before the job runs');

    await t.app.jobs.drain();
    const first = await analysesOf(workId);
    assert.equal(first.length, 1);
    assert.equal(first[0]!.content_hash, contentHash(first[0]!.body_html));
    const result = first[0]!.result as StoredAnalysis;
    assert.equal(result.version, STORED_VERSION);
    assert.ok(
      result.characters.some((c) => c.name.startsWith('Marianne')),
      JSON.stringify(result.characters),
    );
    assert.ok(result.scenes.length >= 2, 'the scene break splits the chapter');

    // An edit is a new version: analysed again, the old version kept beside it.
    const chapterId = first[0]!.chapter_id;
    const edited = await author.post(`/works/${workId}/chapters/${chapterId}`, {
      body: `${STORY}\n\nMarianne hugged Tobias.`,
      text_format: 'plain',
    });
    assert.equal(edited.statusCode, 303, edited.body.slice(0, 300));
    await t.app.jobs.drain();
    const second = await analysesOf(workId);
    assert.equal(second.length, 2);
    assert.equal(new Set(second.map((r) => r.content_hash)).size, 2);
    const body = await t.db.selectFrom('chapters').select('body_html').where('id', '=', chapterId).executeTakeFirstOrThrow();
    assert.ok(
      second.some((r) => r.content_hash === contentHash(body.body_html)),
      'the current version is analysed',
    );

    // The same version again (a save without changes) is not analysed twice.
    await author.post(`/works/${workId}/chapters/${chapterId}`, { body: `${STORY}\n\nMarianne hugged Tobias.`, text_format: 'plain' });
    assert.equal(await t.app.jobs.drain(), 0);

    // A new chapter is analysed too.
    const added = await author.post(`/works/${workId}/chapters`, {
      body: 'Tobias came back a week later. "Marianne," Tobias said.',
      text_format: 'plain',
    });
    assert.equal(added.statusCode, 303);
    await t.app.jobs.drain();
    assert.equal((await analysesOf(workId)).length, 3);
  });

  it('shows the proposals panel only to the creator, "reading" until the job has run', async () => {
    const workId = await post({ action: 'draft' });
    const pending = await author.get(`/works/${workId}`);
    assert.match(panelOf(pending.body), /Proposed by Fanfold/);
    assert.match(panelOf(pending.body), /Fanfold is reading your story…/);
    assert.match(pending.body, /\/static\/story-intelligence\.js/);
    const status = await author.get(`/works/${workId}/analysis_status`);
    assert.deepEqual(JSON.parse(status.body), { ready: false, failed: false });

    await t.app.jobs.drain();
    assert.deepEqual(JSON.parse((await author.get(`/works/${workId}/analysis_status`)).body), { ready: true, failed: false });
    const ready = panelOf((await author.get(`/works/${workId}`)).body);
    assert.doesNotMatch(ready, /reading your story/);
    assert.match(ready, /<h4>Characters<\/h4>/);
    assert.match(ready, /Marianne/);
    assert.match(ready, /<blockquote>[^<]*Marianne/, 'evidence is quoted');
    assert.match(ready, /action="\/works\/\d+\/proposals\/accept"/);
    assert.match(ready, /action="\/works\/\d+\/proposals\/dismiss"/);

    // Posted, it is readable by others, who see no proposals.
    await author.post(`/works/${workId}/post`);
    const other = await reader.get(`/works/${workId}`);
    assert.equal(other.statusCode, 200);
    assert.equal(panelOf(other.body), '');
    assert.equal(panelOf((await new TestVisitor(t.app).get(`/works/${workId}`)).body), '');
    assert.equal((await reader.get(`/works/${workId}/analysis_status`)).statusCode, 403);
    const refused = await reader.post(`/works/${workId}/proposals/accept`, { kind: 'character', value: 'Marianne Vale' });
    assert.equal(refused.statusCode, 403);
  });

  it('accepting a proposal adds the tag to the work, its page and filter_tag_ids; dismissing hides it', async () => {
    const workId = await post();
    await t.app.jobs.drain();
    const panel = panelOf((await author.get(`/works/${workId}`)).body);
    const character = /name="kind" value="character"\/?><input type="hidden" name="value" value="([^"]+)"/.exec(panel);
    assert.ok(character, panel.slice(0, 2000));
    const name = character[1]!;

    const accepted = await author.post(`/works/${workId}/proposals/accept`, {
      kind: 'character',
      value: name,
      return_to: `/works/${workId}`,
    });
    assert.equal(accepted.statusCode, 303);
    assert.equal(accepted.headers.location, `/works/${workId}#proposals`);
    const page = await author.get(`/works/${workId}`);
    assert.match(page.body, new RegExp(`<dd class="character">[\\s\\S]*?${name}[\\s\\S]*?</dd>`));
    assert.doesNotMatch(panelOf(page.body), new RegExp(`name="value" value="${name}"`), 'an accepted tag is no longer proposed');
    const tag = await t.db
      .selectFrom('tags')
      .select('id')
      .where('type', '=', 'character')
      .where(sql`lower(name)`, '=', name.toLowerCase())
      .executeTakeFirstOrThrow();
    const work = await t.db.selectFrom('works').select('filter_tag_ids').where('id', '=', workId).executeTakeFirstOrThrow();
    assert.ok(work.filter_tag_ids.includes(tag.id), 'the tag is in filter_tag_ids, where search filters');

    // A rating replaces the rating; a warning replaces "No Archive Warnings Apply".
    await author.post(`/works/${workId}/proposals/accept`, { kind: 'rating', value: 'Mature' });
    await author.post(`/works/${workId}/proposals/accept`, { kind: 'warning', value: 'Major Character Death' });
    const tags = await t.db
      .selectFrom('work_tags')
      .innerJoin('tags', 'tags.id', 'work_tags.tag_id')
      .select(['tags.type', 'tags.name'])
      .where('work_id', '=', workId)
      .execute();
    assert.deepEqual(
      tags.filter((x) => x.type === 'rating').map((x) => x.name),
      ['Mature'],
    );
    assert.deepEqual(
      tags.filter((x) => x.type === 'warning').map((x) => x.name),
      ['Major Character Death'],
    );

    // Dismiss.
    const before = panelOf((await author.get(`/works/${workId}`)).body);
    const other = /name="kind" value="(character|relationship)"\/?><input type="hidden" name="value" value="([^"]+)"/.exec(before);
    assert.ok(other, 'another proposal to dismiss');
    const value = other[2]!.replace(/&amp;/g, '&');
    const dismissed = await author.post(`/works/${workId}/proposals/dismiss`, { kind: other[1]!, value });
    assert.equal(dismissed.statusCode, 303);
    assert.ok(
      !panelOf((await author.get(`/works/${workId}`)).body).includes(`name="value" value="${other[2]!}"`),
      'a dismissed proposal is gone',
    );
    const row = await t.db.selectFrom('analysis_dismissals').select('value_key').where('work_id', '=', workId).executeTakeFirstOrThrow();
    assert.equal(row.value_key, value.toLowerCase());

    // Bad input is refused with a reason, never a 500.
    const bad = await author.post(`/works/${workId}/proposals/accept`, { kind: 'rating', value: 'Very Spicy' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /Choose a rating/);
    const worse = await author.post(`/works/${workId}/proposals/accept`, { kind: 'weapon', value: 'x' });
    assert.equal(worse.statusCode, 422);
  });

  it('proposes the fandom of canonical character tags (and their synonyms) the story mentions', async () => {
    const insertTag = async (type: 'fandom' | 'character', name: string, canonical: boolean, mergerId: number | null = null) =>
      (
        await t.db
          .insertInto('tags')
          .values({ type, name, canonical, merger_id: mergerId, unwrangled: false })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const fandom = await insertTag('fandom', 'The Vampire Diaries (TV)', true);
    const caroline = await insertTag('character', 'Caroline Forbes', true);
    const stefan = await insertTag('character', 'Stefan Salvatore', true);
    const liz = await insertTag('character', 'Elizabeth Forbes', true);
    await insertTag('character', 'Liz Forbes', false, liz); // a synonym
    const other = await insertTag('fandom', 'Some Other Show', true);
    const otherStefan = await insertTag('character', 'Stefan Urquelle', true);
    await t.db
      .insertInto('tag_parents')
      .values([
        { parent_id: fandom, child_id: caroline, kind: 'fandom' },
        { parent_id: fandom, child_id: stefan, kind: 'fandom' },
        { parent_id: fandom, child_id: liz, kind: 'fandom' },
        { parent_id: other, child_id: otherStefan, kind: 'fandom' },
      ])
      .execute();

    const r = await author.post(
      '/works',
      buildWorkForm({ body: readFoundingStory(), fandoms: 'Unknown', characters: '', relationships: '', action: 'draft' }),
    );
    const workId = workIdFrom(r.headers.location);
    await t.app.jobs.drain();
    const panel = panelOf((await author.get(`/works/${workId}`)).body);
    assert.match(panel, /name="kind" value="fandom"\/?><input type="hidden" name="value" value="The Vampire Diaries \(TV\)"/);
    assert.doesNotMatch(panel, /value="Some Other Show"/, 'one ambiguous first name does not outvote the fandom');
    assert.match(panel, /value="Caroline Forbes"/, 'a character takes its canonical name');
    assert.match(panel, /value="Caroline Forbes\/Stefan Salvatore"/, 'relationships in AO3 form with canonical names');
    // The synonym "Liz Forbes" is on no work anyone may read: it must not lead to its canonical.
    assert.doesNotMatch(panel, /Elizabeth Forbes|Liz Forbes/, 'a hidden synonym is not revealed');
    assert.match(panel, /name="kind" value="character"\/?><input type="hidden" name="value" value="Liz"/);

    // Once a posted work uses the synonym, it is visible, and Liz takes the canonical through it.
    const uses = await reader.post('/works', buildWorkForm({ body: 'Liz Forbes waited.', characters: 'Liz Forbes', relationships: '' }));
    assert.equal(uses.statusCode, 303, uses.body.slice(0, 300));
    const later = panelOf((await author.get(`/works/${workId}`)).body);
    assert.match(later, /value="Elizabeth Forbes"/, 'through a visible synonym to the canonical');

    // Accepting the relationship links its characters and fills filter_tag_ids.
    const ok = await author.post(`/works/${workId}/proposals/accept`, { kind: 'relationship', value: 'Caroline Forbes/Stefan Salvatore' });
    assert.equal(ok.statusCode, 303);
    const rel = await t.db
      .selectFrom('tags')
      .select('id')
      .where('type', '=', 'relationship')
      .where('name', '=', 'Caroline Forbes/Stefan Salvatore')
      .executeTakeFirstOrThrow();
    const links = await t.db
      .selectFrom('tag_parents')
      .select('parent_id')
      .where('child_id', '=', rel.id)
      .where('kind', '=', 'character')
      .execute();
    assert.deepEqual(links.map((l) => l.parent_id).sort(), [caroline, stefan].sort());
    const work = await t.db.selectFrom('works').select('filter_tag_ids').where('id', '=', workId).executeTakeFirstOrThrow();
    assert.ok(work.filter_tag_ids.includes(rel.id));
  });

  it('shows the story map per the read policy', async () => {
    const draftId = await post({ action: 'draft' });
    await t.app.jobs.drain();
    assert.equal((await author.get(`/works/${draftId}/story_map`)).statusCode, 200, 'the creator sees the map of a draft');
    assert.equal((await reader.get(`/works/${draftId}/story_map`)).statusCode, 404, 'others do not see a draft');
    const restrictedId = await post({ restricted: '1' });
    await t.app.jobs.drain();
    assert.equal((await new TestVisitor(t.app).get(`/works/${restrictedId}/story_map`)).statusCode, 401);
    const map = await reader.get(`/works/${restrictedId}/story_map`);
    assert.equal(map.statusCode, 200);
    assert.match(map.body, /<svg class="story-graph"[^>]*role="img"/);
    assert.match(map.body, /<title id="story-graph-title">/);
    assert.match(map.body, /<desc id="story-graph-desc">[^<]*Marianne/);
    assert.match(map.body, /<svg class="arc-chart"[^>]*role="img"/);
    assert.match(map.body, /<table class="data-table story-pairs">/);
    assert.match(map.body, /<ol class="scene-list">[\s\S]*?<a href="\/works\/\d+\/chapters\/\d+#:~:text=/);
    assert.match(map.body, /contains spoilers/);
    const work = await reader.get(`/works/${restrictedId}`);
    assert.match(work.body, new RegExp(`href="/works/${restrictedId}/story_map"`), 'the work page links to it');
    assert.doesNotMatch(work.body, /<svg class="story-graph"/, 'the map itself is not on the work page');
    assert.equal((await reader.get('/works/99999/story_map')).statusCode, 404);
    assert.equal((await reader.get('/works/abc/story_map')).statusCode, 404);
  });

  it('asks before showing the map of a Mature work, as the work page does, but never its creator', async () => {
    const matureId = await post({ rating: 'Mature' });
    await t.app.jobs.drain();
    const visitor = new TestVisitor(t.app);
    const notice = await visitor.get(`/works/${matureId}/story_map`);
    assert.equal(notice.statusCode, 200);
    assert.match(notice.body, /This work could have adult content/);
    assert.doesNotMatch(notice.body, /<svg class="story-graph"/, 'no passage of the story before the reader agrees');
    assert.match(notice.body, new RegExp(`href="/works/${matureId}/story_map\\?view_adult=true"`));
    const map = await visitor.get(`/works/${matureId}/story_map?view_adult=true`);
    assert.match(map.body, /<svg class="story-graph"/);
    assert.match(String(map.headers['set-cookie']), /=1/, 'the choice is remembered for the session');
    assert.match((await author.get(`/works/${matureId}/story_map`)).body, /<svg class="story-graph"/);
  });

  it('queues the analysis of a work posted before analysis existed when its map or panel is opened', async () => {
    const workId = await post();
    // As if posted before this feature: no job, no analysis.
    await t.db.deleteFrom('jobs').where('kind', '=', 'analysis.chapter').execute();
    await t.app.jobs.drain();
    const unread = await reader.get(`/works/${workId}/story_map`);
    assert.match(unread.body, /has not read this story yet/);
    const queued = await t.db
      .selectFrom('jobs')
      .select('payload')
      .where('kind', '=', 'analysis.chapter')
      .where('done_at', 'is', null)
      .execute();
    assert.equal(queued.length, 1, 'opening the map queued the analysis');
    await t.app.jobs.drain();
    const map = await reader.get(`/works/${workId}/story_map`);
    assert.match(map.body, /<svg class="story-graph"/, 'the analysis was stored and the cached page refreshed');
    assert.equal(await t.app.jobs.drain(), 0, 'nothing more to do');
  });

  it('says so when the story has not been read yet, and escapes names in the SVG', async () => {
    const workId = await post();
    const guest = new TestVisitor(t.app);
    const unread = await guest.get(`/works/${workId}/story_map`);
    assert.equal(unread.statusCode, 200);
    assert.match(unread.body, /has not read this story yet/);

    const chapter = await t.db.selectFrom('chapters').select(['id', 'body_html']).where('work_id', '=', workId).executeTakeFirstOrThrow();
    const evil = '<script>alert(1)</script> & Co';
    const result: StoredAnalysis = {
      version: STORED_VERSION,
      textLength: 100,
      words: 20,
      quoteCount: 1,
      characters: [
        {
          name: evil,
          aliases: [],
          mentions: 5,
          gender: 'unknown',
          role: 'protagonist',
          evidence: [{ start: 0, end: 5, text: '<b>x</b>' }],
        },
        { name: 'Ann', aliases: [], mentions: 2, gender: 'female', role: 'supporting', evidence: [] },
      ],
      relationships: [{ a: evil, b: 'Ann', kind: 'conflict', strength: 1, tag: `${evil} & Ann`, evidence: [] }],
      talks: [{ a: 'Ann', b: evil, lines: 1 }],
      scenes: [{ start: 0, end: 100, reason: 'start', excerpt: '<img src=x onerror=alert(1)>' }],
      arc: [
        { offset: 0, valence: 0.2 },
        { offset: 50, valence: -0.4 },
        { offset: 100, valence: 0.1 },
      ],
      turningPoints: [1],
      rating: { value: 'General Audiences', confidence: 0.5, evidence: [] },
      warnings: [],
      language: 'en',
      additionalTags: [],
    };
    await t.db
      .insertInto('chapter_analyses')
      .values({ chapter_id: chapter.id, content_hash: contentHash(chapter.body_html), result: JSON.stringify(result) })
      .execute();
    t.app.pageCache.invalidateWork(workId);
    const map = await guest.get(`/works/${workId}/story_map`);
    assert.equal(map.statusCode, 200);
    assert.doesNotMatch(map.body, /<script>alert/);
    assert.doesNotMatch(map.body, /<img src=x/);
    assert.match(map.body, /&lt;script>alert\(1\)&lt;\/script> &amp; Co|&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; Co/);
    assert.match(map.body, /<g class="turning-point"><title>Turning point 1, /);
  });

  /** The analysis jobs of one chapter, oldest first. */
  const analysisJobsOf = async (chapterId: number) =>
    (
      await t.db
        .selectFrom('jobs')
        .select(['id', 'payload', 'attempts', 'done_at', 'failed_at'])
        .where('kind', '=', 'analysis.chapter')
        .orderBy('id')
        .execute()
    ).filter((j) => (j.payload as { chapterId?: number }).chapterId === chapterId);
  /** Runs a chapter's pending analysis job through all its attempts (each retry brought forward from its backoff). */
  const runUntilSettled = async (chapterId: number) => {
    for (let round = 0; round < ANALYSIS_ATTEMPTS + 1; round++) {
      await t.app.jobs.drain();
      const pending = (await analysisJobsOf(chapterId)).filter((j) => !j.done_at && !j.failed_at);
      if (pending.length === 0) return;
      await t.db
        .updateTable('jobs')
        .set({ run_at: new Date(Date.now() - 1000) })
        .where(
          'id',
          'in',
          pending.map((j) => j.id),
        )
        .execute();
    }
    assert.fail('the analysis job neither succeeded nor failed for good');
  };
  /** The job as the app registers it, but reading chapters with `analyze` (the library again when omitted). */
  const useAnalyzer = (analyze?: ChapterAnalyzer) =>
    registerAnalysisJob(t.app.jobs, { ...(analyze ? { analyze } : {}), onChanged: (workId) => t.app.pageCache.invalidateWork(workId) });

  it('tells the creator when reading a chapter failed for good, and reads it again on "Try again"', async () => {
    await t.app.jobs.drain(); // other tests' jobs, with the real analyzer
    const workId = await post();
    const chapter = await t.db.selectFrom('chapters').select('id').where('work_id', '=', workId).executeTakeFirstOrThrow();
    useAnalyzer(() => {
      throw new Error('the analyzer broke on this text');
    });
    try {
      await runUntilSettled(chapter.id);
    } finally {
      useAnalyzer();
    }
    const [failedJob] = await analysisJobsOf(chapter.id);
    assert.ok(failedJob?.failed_at, 'the job failed for good');
    assert.equal(failedJob.attempts, ANALYSIS_ATTEMPTS, 'after all its attempts');
    const failure = await t.db
      .selectFrom('chapter_analysis_failures')
      .selectAll()
      .where('chapter_id', '=', chapter.id)
      .executeTakeFirstOrThrow();
    assert.equal(failure.error, 'the analyzer broke on this text');

    // The creator is told, with a way to try again; the status says so; readers see nothing of it.
    const panel = panelOf((await author.get(`/works/${workId}`)).body);
    assert.match(panel, /Fanfold could not read this chapter\./);
    assert.doesNotMatch(panel, /reading your story/);
    assert.doesNotMatch(panel, /story-intelligence\.js/, 'no reload script polling forever');
    const form = new RegExp(
      `<form method="post" action="/works/${workId}/analysis/retry"[^>]*>\\s*<input type="hidden" name="_csrf" value="[^"]+"`,
    );
    assert.match(panel, form, 'a POST form with the CSRF token');
    assert.match(panel, />Try again<\/button>/);
    assert.deepEqual(JSON.parse((await author.get(`/works/${workId}/analysis_status`)).body), { ready: false, failed: true });
    assert.equal(panelOf((await reader.get(`/works/${workId}`)).body), '');
    const map = await new TestVisitor(t.app).get(`/works/${workId}/story_map`);
    assert.match(map.body, /Fanfold could not read this story\./);

    // Only the creators may try again, and only with the CSRF token.
    assert.equal((await reader.post(`/works/${workId}/analysis/retry`)).statusCode, 403);
    assert.equal((await new TestVisitor(t.app).post(`/works/${workId}/analysis/retry`)).statusCode, 401);
    assert.equal((await author.post(`/works/${workId}/analysis/retry`, { _csrf: 'forged' })).statusCode, 403);
    assert.equal((await analysisJobsOf(chapter.id)).length, 1, 'none of these enqueued anything');

    const retried = await author.post(`/works/${workId}/analysis/retry`, { return_to: `/works/${workId}` });
    assert.equal(retried.statusCode, 303);
    assert.equal(retried.headers.location, `/works/${workId}#proposals`);
    const again = await author.get(`/works/${workId}`);
    assert.match(again.body, /Fanfold is reading your story again\./, 'the flash says so');
    assert.match(panelOf(again.body), /Fanfold is reading your story…/);
    assert.deepEqual(JSON.parse((await author.get(`/works/${workId}/analysis_status`)).body), { ready: false, failed: false });
    const jobs = await analysisJobsOf(chapter.id);
    assert.equal(jobs.length, 2, 'a new job was enqueued');
    assert.ok(!jobs[1]!.done_at && !jobs[1]!.failed_at);
    // A second click finds nothing to try again and enqueues nothing more.
    await author.post(`/works/${workId}/analysis/retry`);
    assert.match((await author.get(`/works/${workId}`)).body, /nothing to try again/);
    assert.equal((await analysisJobsOf(chapter.id)).length, 2);

    // With the analyzer working, the new job reads the chapter: proposals, the map, no failure left.
    await runUntilSettled(chapter.id);
    assert.deepEqual(JSON.parse((await author.get(`/works/${workId}/analysis_status`)).body), { ready: true, failed: false });
    const ready = panelOf((await author.get(`/works/${workId}`)).body);
    assert.doesNotMatch(ready, /could not read/);
    assert.match(ready, /name="kind" value="character"/);
    assert.match((await new TestVisitor(t.app).get(`/works/${workId}/story_map`)).body, /<svg class="story-graph"/);
    assert.equal(
      (await t.db.selectFrom('chapter_analysis_failures').select('chapter_id').where('chapter_id', '=', chapter.id).execute()).length,
      0,
    );
  });

  it('stops reading a chapter at the time limit, at once without retries, and tells the creator why', async () => {
    await t.app.jobs.drain();
    const workId = await post();
    const chapter = await t.db.selectFrom('chapters').select('id').where('work_id', '=', workId).executeTakeFirstOrThrow();
    // A real worker caught in an endless loop, as the analysis was on hard-wrapped text.
    const busy = new TaskPool({ filename: new URL('../../test/busy-tasks.worker.js', import.meta.url).href, maxThreads: 1 });
    useAnalyzer(() => busy.runExport('spin', { ms: -1 }, 300) as Promise<StoredAnalysis>);
    try {
      await t.app.jobs.drain();
    } finally {
      useAnalyzer();
      await busy.close();
    }
    const [job] = await analysisJobsOf(chapter.id);
    assert.ok(job?.failed_at, 'failed for good');
    assert.equal(job.attempts, 1, 'not tried again: the same text would pass the same limit');
    const panel = panelOf((await author.get(`/works/${workId}`)).body);
    assert.match(panel, /Fanfold could not read this chapter\./);
    assert.match(panel, /Reading this chapter took longer than 0\.3 seconds, so it was stopped\./);
    assert.deepEqual(JSON.parse((await author.get(`/works/${workId}/analysis_status`)).body), { ready: false, failed: true });
    assert.equal((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  });

  it('names the chapters it could not read, proposes from the others, and reads an edited version anew', async () => {
    await t.app.jobs.drain();
    const workId = await post();
    const added = await author.post(`/works/${workId}/chapters`, {
      body: 'Zebulon came to the shop. "Marianne," Zebulon said.',
      text_format: 'plain',
    });
    assert.equal(added.statusCode, 303, added.body.slice(0, 300));
    const [first, second] = await t.db.selectFrom('chapters').select('id').where('work_id', '=', workId).orderBy('position').execute();
    // This analyzer cannot read any text that mentions Zebulon.
    useAnalyzer((html) => {
      if (html.includes('Zebulon')) throw new Error('no Zebulons');
      return analyzeChapterHtml(html);
    });
    try {
      await runUntilSettled(first!.id);
      await runUntilSettled(second!.id);
    } finally {
      useAnalyzer();
    }
    const panel = panelOf((await author.get(`/works/${workId}`)).body);
    assert.match(panel, /Fanfold could not read chapter 2 of 2\./);
    assert.match(panel, /From the chapters Fanfold did read/);
    assert.match(panel, /name="value" value="Marianne[^"]*"/, 'proposals of chapter 1');
    assert.deepEqual(JSON.parse((await author.get(`/works/${workId}/analysis_status`)).body), { ready: false, failed: true });
    assert.match((await reader.get(`/works/${workId}/story_map`)).body, /read 1 of the 2 chapters; it could not read one of them/);

    // A failure belongs to one version: the edited chapter is another, read by its own job.
    const edited = await author.post(`/works/${workId}/chapters/${second!.id}`, {
      body: 'Tobias came back. "Marianne," Tobias said.',
      text_format: 'plain',
    });
    assert.equal(edited.statusCode, 303);
    assert.deepEqual(JSON.parse((await author.get(`/works/${workId}/analysis_status`)).body), { ready: false, failed: false });
    await runUntilSettled(second!.id);
    assert.deepEqual(JSON.parse((await author.get(`/works/${workId}/analysis_status`)).body), { ready: true, failed: false });
    assert.equal(
      (await t.db.selectFrom('chapter_analysis_failures').select('chapter_id').where('chapter_id', '=', second!.id).execute()).length,
      0,
      'the old version’s failure is forgotten',
    );
  });

  it('suggests tags on the posting form from the pasted text, keeping what was typed', async () => {
    const form = buildWorkForm({ body: STORY, title: 'Kept title', characters: '', relationships: '', action: 'analyze' });
    const r = await author.post('/works', form);
    assert.equal(r.statusCode, 200);
    assert.match(r.body, /value="Kept title"/);
    assert.match(r.body, /Proposed by Fanfold/);
    assert.match(r.body, /<blockquote>/);
    const accept = /formaction="(\/works\?accept=character%3A[^"#]+)#proposals"/.exec(r.body);
    assert.ok(accept, 'each proposal has an accept button');
    assert.equal(
      await t.db.selectFrom('works').select('id').where('title', '=', 'Kept title').executeTakeFirst(),
      undefined,
      'nothing was posted',
    );

    const url = accept[1]!.replace(/&amp;/g, '&');
    const name = decodeURIComponent(url.split('%3A')[1]!);
    const again = await author.post(url, form);
    assert.equal(again.statusCode, 200);
    assert.match(again.body, new RegExp(`name="characters"[^>]*value="${name}"`), 'the accepted tag is in its field');

    const empty = await author.post('/works', { ...form, body: '' });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /Add the text/);
  });
});

/**
 * Every page type of the archive, with data worth looking at, for the screenshot review
 * (`npm run screenshots`) and the mobile layout test (e2e/mobile-layout.test.ts): one place
 * that seeds an archive and says which URL shows each page type.
 */
import assert from 'node:assert/strict';
import type { BrowserContext } from 'playwright-core';
import { TestVisitor } from '../test/app.ts';
import { buildWorkForm, readFoundingStory } from '../test/factories.ts';
import { makeAdmin } from '../test/staff.ts';
import type { RunningArchive } from './harness.ts';

export const TOUR_WRITER = 'tour_writer';
export const TOUR_READER = 'tour_reader_with_a_long_name';
const PASSWORD = 'correct horse battery staple';

/** What the seeded archive holds, as the URLs of its page types need it. */
export interface TourData {
  /** Session cookie of the writer (an admin, with an inbox of comments): the signed-in tour. */
  writerSession: string;
  /** Session cookie of a reader who left kudos, comments, a bookmark and a mark for later. */
  readerSession: string;
  oneChapterWorkId: number;
  multiChapterWorkId: number;
  secondChapterId: number;
  seriesId: number;
  fandom: string;
}

export interface TourPage {
  /** A short name, used for screenshot files. */
  name: string;
  path(data: TourData): string;
}

/** The page types, in the order a reader meets them. Pages that need an account show guests their 401 page. */
export const TOUR_PAGES: readonly TourPage[] = [
  { name: 'home', path: () => '/' },
  { name: 'works', path: () => '/works' },
  { name: 'tag-works', path: (d) => `/tags/${encodeURIComponent(d.fandom)}/works` },
  { name: 'search', path: () => '/works/search?q=Caroline' },
  { name: 'work', path: (d) => `/works/${d.oneChapterWorkId}` },
  { name: 'chapter', path: (d) => `/works/${d.multiChapterWorkId}/chapters/${d.secondChapterId}` },
  { name: 'story-map', path: (d) => `/works/${d.oneChapterWorkId}/story_map` },
  { name: 'bookmarks', path: () => `/users/${TOUR_READER}/bookmarks` },
  { name: 'inbox', path: () => `/users/${TOUR_WRITER}/inbox` },
  { name: 'fandoms', path: () => '/media' },
  { name: 'preferences', path: () => '/preferences' },
  { name: 'notification-settings', path: () => `/users/${TOUR_WRITER}/notifications` },
  { name: 'sign-in', path: () => '/login' },
  { name: 'posting-form', path: () => '/works/new' },
  { name: 'admin', path: () => '/admin' },
  { name: 'profile', path: () => `/users/${TOUR_WRITER}` },
  { name: 'series', path: (d) => `/series/${d.seriesId}` },
  { name: 'orphan-series', path: () => '/orphans/series' },
  { name: 'not-found', path: () => '/no/such/page' },
];

const FANDOM = 'The Vampire Diaries (TV)';

function sessionOf(visitor: TestVisitor): string {
  const token = visitor.cookies.get('ff_session');
  assert.ok(token, 'the visitor is signed in');
  return token;
}

async function expectRedirect(response: { statusCode: number; body: string; headers: Record<string, unknown> }, what: string) {
  assert.equal(response.statusCode, 303, `${what}: ${response.statusCode} ${response.body.slice(0, 400)}`);
  return String(response.headers.location);
}

/**
 * Fills the archive through its own forms: a one-chapter work (the founding story, read by the
 * story analysis), a two-chapter work, a series of both, and a reader's kudos, comments (one on
 * a paragraph), bookmark and mark-for-later, which land in the writer's inbox.
 */
export async function seedTour(archive: RunningArchive): Promise<TourData> {
  const { app, handle } = archive;
  const writer = await new TestVisitor(app).signUp(TOUR_WRITER, PASSWORD);
  await makeAdmin(handle.db, TOUR_WRITER);
  const reader = await new TestVisitor(app).signUp(TOUR_READER, PASSWORD);

  const idOf = (location: string) => Number(/^\/works\/(\d+)/.exec(location)?.[1]);
  const oneChapterWorkId = idOf(
    await expectRedirect(
      await writer.post(
        '/works',
        buildWorkForm({
          title: 'Too Late',
          summary: 'Caroline finds out what Stefan did the summer she was away, and what it cost him.',
          rating: 'Teen And Up Audiences',
          warnings: ['Major Character Death'],
          categories: ['F/M'],
          fandoms: FANDOM,
          relationships: 'Caroline Forbes/Stefan Salvatore',
          characters: 'Caroline Forbes, Stefan Salvatore, Damon Salvatore, Elena Gilbert',
          freeforms: 'Angst, Hurt/Comfort, Canon-Typical Violence, Post-Canon, Extremely-Long-Additional-Tag-That-Wraps-Somewhere',
          body: readFoundingStory(),
        }),
      ),
      'posting the one-chapter work',
    ),
  );
  const multiChapterWorkId = idOf(
    await expectRedirect(
      await writer.post(
        '/works',
        buildWorkForm({
          title: 'Lanterns Over the Harbour',
          fandoms: FANDOM,
          expected_chapters: '3',
          body: 'The lanterns rose one by one.\n\nMira counted them from the pier.\n\nBy midnight the sky was full.',
        }),
      ),
      'posting the two-chapter work',
    ),
  );
  await expectRedirect(
    await writer.post(`/works/${multiChapterWorkId}/chapters`, {
      chapter_title: 'The Second Night',
      text_format: 'plain',
      body: 'The harbour was dark the second night.\n\n“Where did they go?” asked Mira.\n\nNobody answered her.',
      action: 'post',
    }),
    'posting the second chapter',
  );
  const chapters = await handle.db
    .selectFrom('chapters')
    .select(['id', 'work_id', 'position'])
    .where('work_id', 'in', [oneChapterWorkId, multiChapterWorkId])
    .orderBy('position')
    .execute();
  const onlyChapter = chapters.find((c) => c.work_id === oneChapterWorkId)!;
  const secondChapter = chapters.find((c) => c.work_id === multiChapterWorkId && c.position === 2)!;

  const seriesLocation = await expectRedirect(
    await writer.post('/series', { title: 'Mystic Falls Summers', summary: 'Two stories of one summer.' }),
    'making a series',
  );
  const seriesId = Number(/^\/series\/(\d+)/.exec(seriesLocation)?.[1]);
  for (const workId of [oneChapterWorkId, multiChapterWorkId]) {
    await expectRedirect(await writer.post(`/series/${seriesId}/works`, { work_id: String(workId) }), 'adding a work to the series');
  }

  await expectRedirect(await reader.post(`/works/${oneChapterWorkId}/kudos`, {}), 'leaving kudos');
  await expectRedirect(
    await reader.post(`/works/${oneChapterWorkId}/comments`, {
      comment: 'This broke my heart. The <em>letter</em> scene especially, when she finally reads what he wrote and understands.',
    }),
    'commenting',
  );
  await expectRedirect(
    await reader.post(`/works/${oneChapterWorkId}/comments`, {
      comment: 'This line!',
      chapter_id: String(onlyChapter.id),
      paragraph: '2',
    }),
    'commenting on a paragraph',
  );
  await expectRedirect(
    await reader.post(`/works/${oneChapterWorkId}/bookmarks`, { notes: 'Read this twice.', tags: 'angst, favourites' }),
    'bookmarking',
  );
  await expectRedirect(await reader.post(`/works/${multiChapterWorkId}/mark_for_later`, {}), 'marking for later');

  // The story map needs the analysis of the founding story.
  await app.jobs.drain();

  return {
    writerSession: sessionOf(writer),
    readerSession: sessionOf(reader),
    oneChapterWorkId,
    multiChapterWorkId,
    secondChapterId: secondChapter.id,
    seriesId,
    fandom: FANDOM,
  };
}

/** Signs this browser context in as the tour's writer (an admin with an inbox) or its reader. */
export async function signIn(context: BrowserContext, archive: RunningArchive, data: TourData, who: 'writer' | 'reader' = 'writer') {
  const value = who === 'writer' ? data.writerSession : data.readerSession;
  await context.addCookies([{ name: 'ff_session', value, url: archive.url, httpOnly: true, sameSite: 'Lax' }]);
}

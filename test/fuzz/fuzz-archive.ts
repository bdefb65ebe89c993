// The archive the fuzzer attacks: the real app on a fresh database holding a seeded archive,
// three visitors (a guest, a member who owns works, series, bookmarks, comments and an API
// token, and an admin who is also a moderator), the ids of what they own, and the server's own
// error log, read after every request so a 500 comes with its stack.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { Database } from '../../src/db/schema.ts';
import { asciiFileName } from '../../src/downloads/downloads.formats.ts';
import { seedArchive } from '../../src/seed/seed.ts';
import { TestVisitor } from '../app.ts';
import { createTestDatabase } from '../database.ts';
import { buildWorkForm } from '../factories.ts';
import { makeAdmin, makeModerator, workIdOf } from '../staff.ts';
import type { Identity } from './request-builders.ts';

/** What the fixture made, for filling path parameters with things that exist. */
export interface FixtureIds {
  /** The member's posted work (two chapters), then a draft, a restricted work and a seeded work. */
  work: number;
  chapter: number;
  /** A chapter of the member's work scheduled for tomorrow. */
  waitingChapter: number;
  draft: number;
  restricted: number;
  seededWork: number;
  /** The bystander's work, which the admin hid. */
  hidden: number;
  series: number;
  comment: number;
  bookmark: number;
  adminPost: number;
  savedSearch: number;
  inboxItem: number;
  apiTokenId: number;
  userId: number;
  tag: string;
  downloadFile: string;
  logins: Record<Identity | 'bystander', string>;
}

export interface FuzzArchive {
  app: FastifyInstance;
  db: Kysely<Database>;
  visitors: Record<Identity, TestVisitor>;
  ids: FixtureIds;
  /** API tokens of eight accounts (the member's first): writes are limited per token and per account. */
  apiTokens: string[];
  password: string;
  /** The server's error log lines since the last call (one JSON line per logged error). */
  takeErrorLog(): string[];
  /** Signs the visitor in again if a fuzzed request ended its session; true if it had to. */
  ensureSignedIn(identity: Identity): Promise<boolean>;
  close(): Promise<void>;
}

const PASSWORD = 'correct horse battery';

export interface FuzzArchiveOptions {
  /** Seed of the synthetic archive. */
  seed: number;
  /** Seeded works besides the fixture's own. */
  works: number;
}

/** Builds the app on a fresh seeded database and makes the visitors and their things. */
export async function openFuzzArchive(options: FuzzArchiveOptions): Promise<FuzzArchive> {
  const handle = await createTestDatabase();
  await seedArchive(handle.db, { works: options.works, seed: options.seed, batchSize: Math.max(options.works, 1), longTextEvery: 20 });
  const errors: string[] = [];
  const config = loadConfig({ LOG_LEVEL: 'error', BASE_URL: 'http://archive.test' });
  const app = await buildApp(
    { db: handle.db, config },
    // Only errors are logged, into memory: each 500 is reported with the stack the log holds.
    { logger: { level: 'error', stream: { write: (line: string) => void errors.push(line) } } },
  );
  await app.ready();
  const db = handle.db;

  const logins = { guest: '', member: 'fuzz_member', admin: 'fuzz_admin', bystander: 'fuzz_bystander' };
  const member = await new TestVisitor(app).signUp(logins.member, PASSWORD);
  const admin = await new TestVisitor(app).signUp(logins.admin, PASSWORD);
  const bystander = await new TestVisitor(app).signUp(logins.bystander, PASSWORD);
  const guest = new TestVisitor(app);
  await guest.get('/login');
  await makeAdmin(db, logins.admin);
  await makeModerator(db, logins.admin);

  const expectRedirect = (what: string, r: LightMyRequestResponse) => {
    if (r.statusCode !== 303 && r.statusCode !== 302)
      throw new Error(`fuzz fixture: ${what} answered ${r.statusCode}: ${r.body.slice(0, 300)}`);
    return r;
  };
  const work = workIdOf(
    expectRedirect('posting a work', await member.post('/works', buildWorkForm({ title: 'Fuzz Target Work' }))).headers.location,
  );
  expectRedirect(
    'adding a chapter',
    await member.post(`/works/${work}/chapters`, { text_format: 'plain', body: 'A second chapter.\n\n"Yes," she said.', action: 'post' }),
  );
  const draft = workIdOf(
    expectRedirect('saving a draft', await member.post('/works', buildWorkForm({ title: 'Fuzz Draft', action: 'draft' }))).headers.location,
  );
  const restricted = workIdOf(
    expectRedirect('posting a restricted work', await member.post('/works', buildWorkForm({ title: 'Fuzz Restricted', restricted: '1' })))
      .headers.location,
  );
  const hidden = workIdOf(
    expectRedirect('posting the bystander work', await bystander.post('/works', buildWorkForm({ title: 'Bystander Work' }))).headers
      .location,
  );
  expectRedirect('hiding a work', await admin.post(`/moderation/works/${hidden}/hide`, { reason: 'fuzz fixture' }));
  const seeded = await db
    .selectFrom('works')
    .select('id')
    .where('id', 'not in', [work, draft, restricted, hidden])
    .orderBy('id')
    .executeTakeFirstOrThrow();

  const latest = async (table: 'comments' | 'series' | 'bookmarks' | 'saved_searches' | 'admin_posts') =>
    (await db.selectFrom(table).select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
  await bystander.post(`/works/${work}/comments`, { comment: 'A comment for the member to moderate.' });
  const comment = await latest('comments');
  await member.post('/series', { title: 'Fuzz Series', summary: '', work_id: String(work) });
  const series = await latest('series');
  await member.post(`/works/${seeded.id}/bookmarks`, { notes: 'Good.' });
  const bookmark = await latest('bookmarks');
  await member.post(`/users/${logins.member}/saved_searches`, { name: 'Fuzz', query: 'q=test' });
  const savedSearch = await latest('saved_searches');
  await admin.post('/admin_posts', { title: 'News', body: 'Hello' });
  const adminPost = await latest('admin_posts');
  const issueToken = async (visitor: TestVisitor, login: string) => {
    const page = await visitor.post(`/users/${login}/api_tokens`, { name: 'fuzz client' });
    const token = /ff_[A-Za-z0-9_-]{43}/.exec(page.body)?.[0];
    if (!token) throw new Error(`fuzz fixture: no API token on the tokens page of ${login} (${page.statusCode})`);
    return token;
  };
  const apiTokens = [
    await issueToken(member, logins.member),
    await issueToken(admin, logins.admin),
    await issueToken(bystander, logins.bystander),
  ];
  for (const login of ['fuzz_api_1', 'fuzz_api_2', 'fuzz_api_3', 'fuzz_api_4', 'fuzz_api_5'])
    apiTokens.push(await issueToken(await new TestVisitor(app).signUp(login, PASSWORD), login));

  // States whose pages carry forms a fresh archive lacks: a chapter waiting for its time, a
  // subscription, a hidden tag, a report, a wrangler, a hidden and a frozen comment.
  const tomorrow = new Date(Date.now() + 24 * 3600_000).toISOString().slice(0, 16);
  await member.post(`/works/${work}/chapters`, { text_format: 'plain', body: 'Later.', action: 'schedule', post_at: tomorrow });
  const waiting = await db.selectFrom('chapters').select('id').where('work_id', '=', work).orderBy('id', 'desc').executeTakeFirstOrThrow();
  await member.post('/subscriptions', { kind: 'work', id: String(seeded.id) });
  await member.post('/preferences/filters', { kind: 'tag', tag_type: 'fandom', name: 'Test Fandom' });
  await bystander.post('/reports', { target_type: 'work', target_id: String(work), reason: 'Spam', details: 'fuzz fixture' });
  await admin.post('/wrangling/wranglers', { login: logins.bystander });
  for (const action of ['hide', 'freeze']) {
    await bystander.post(`/works/${work}/comments`, { comment: `A comment to ${action}.` });
    await member.post(`/comments/${await latest('comments')}/${action}`);
  }

  const memberRow = await db.selectFrom('users').select('id').where('login', '=', logins.member).executeTakeFirstOrThrow();
  const apiTokenRow = await db.selectFrom('api_tokens').select('id').where('user_id', '=', memberRow.id).executeTakeFirstOrThrow();
  const inboxRow = await db.selectFrom('inbox_items').select('id').where('user_id', '=', memberRow.id).executeTakeFirst();
  const chapter = await db.selectFrom('chapters').select('id').where('work_id', '=', work).orderBy('position').executeTakeFirstOrThrow();

  const ids: FixtureIds = {
    work,
    chapter: chapter.id,
    waitingChapter: waiting.id,
    draft,
    restricted,
    seededWork: seeded.id,
    hidden,
    series,
    comment,
    bookmark,
    adminPost,
    savedSearch,
    inboxItem: inboxRow?.id ?? 1,
    apiTokenId: apiTokenRow.id,
    userId: memberRow.id,
    tag: 'Test Fandom',
    downloadFile: `${asciiFileName('Fuzz Target Work', work)}.html`,
    logins,
  };
  const visitors: Record<Identity, TestVisitor> = { guest, member, admin };

  let signIns = 0;
  /** Any page only its owner may see: 200 while the session lasts. */
  const ensureSignedIn = async (identity: Identity): Promise<boolean> => {
    if (identity === 'guest') return false;
    const visitor = visitors[identity];
    const login = logins[identity];
    const check = await visitor.get(`/users/${login}/api_tokens`);
    if (check.statusCode === 200) return false;
    const response = await app.inject({
      method: 'POST',
      url: '/login',
      // An address of its own each time: sign-ins are rate-limited per address.
      remoteAddress: `127.77.${Math.floor(++signIns / 250) % 250}.${signIns % 250}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `ff_csrf=${visitor.csrfToken}` },
      payload: new URLSearchParams({ _csrf: visitor.csrfToken, login, password: PASSWORD }).toString(),
    });
    const session = response.cookies.find((c: { name: string }) => c.name === 'ff_session') as { value: string } | undefined;
    if (!session)
      throw new Error(`fuzz: ${login} could not sign in again (${response.statusCode}): its account was changed by a fuzzed request`);
    visitor.cookies.set('ff_session', session.value);
    return true;
  };

  return {
    app,
    db,
    visitors,
    ids,
    apiTokens,
    password: PASSWORD,
    takeErrorLog: () => errors.splice(0, errors.length),
    ensureSignedIn,
    close: async () => {
      await app.close();
      await handle.close();
    },
  };
}

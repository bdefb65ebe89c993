// npm run check:crash — crash safety of the embedded archive, end to end over HTTP.
//
// 20 times: start `fanfold serve` on one PGlite DATA_DIR, fire a burst of posts (forms),
// chapter edits (forms) and imports (JSON API) at it, kill it with SIGKILL at a random moment,
// then open the data directory and check that every write the server acknowledged is there,
// that an edited chapter holds the last acknowledged text (or the one in flight), and that no
// work is partial (chapters, counts and tags all present). Loopback only, bounded in time.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createAccount, issueApiToken } from '../src/accounts/accounts.service.ts';
import { openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { WorkMetadataSchema } from '../src/works/works.schema.ts';
import { createWork } from '../src/works/works.service.ts';
import { HttpVisitor, startServer, workForm } from './lib/archive-process.ts';

const RUNS = Number(process.env.CRASH_RUNS ?? 20);
const PASSWORD = 'crash check password';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fanfold-crash-'));
const paragraph = 'The quick brown fox jumps over the lazy dog. '.repeat(30);
const longText = (marker: string) => `${marker}\n\n${Array.from({ length: 12 }, () => paragraph).join('\n\n')}\n\n${marker} end`;

// Setup, with no server running: the writer's account, an API token, and the work the editor edits.
const setup = await openDatabase({ dataDir });
await migrateToLatest(setup.db);
const writer = await createAccount(setup.db, { login: 'crashwriter', email: 'crash@example.org', password: PASSWORD });
const token = (await issueApiToken(setup.db, writer.id, 'crash check')).token;
const meta = WorkMetadataSchema.parse({
  title: 'Edited under fire',
  rating: 'Not Rated',
  warnings: ['No Archive Warnings Apply'],
  fandoms: 'Testing',
});
const editedWork = await createWork(setup.db, writer, {
  meta,
  chapter: { title: '', summary: '', notes: '', endNotes: '', text: longText('edit-initial'), format: 'plain' },
  draft: false,
});
const editedChapter = (await setup.db.selectFrom('chapters').select('id').where('work_id', '=', editedWork).executeTakeFirstOrThrow()).id;
await setup.close();

interface RunResult {
  run: number;
  killAfterMs: number;
  posts: number;
  imports: number;
  edits: number;
  problems: string[];
}

async function oneRun(run: number): Promise<RunResult> {
  const server = await startServer({ DATA_DIR: dataDir, RUN_JOBS: 'true' });
  const visitor = new HttpVisitor(server.url);
  const login = await visitor.post('/login', { login: 'crashwriter', password: PASSWORD });
  if (login.status !== 303) throw new Error(`login failed: ${login.status}`);
  const posted: Array<{ id: number; marker: string }> = [];
  const imported: Array<{ id: number; marker: string }> = [];
  const edit = { acked: null as string | null, inFlight: null as string | null };
  let stopped = false;

  const poster = async () => {
    for (let i = 0; !stopped; i++) {
      const marker = `post-r${run}-${i}`;
      const r = await visitor.post('/works', workForm(`Crash ${marker}`, longText(marker)));
      const id = /^\/works\/(\d+)/.exec(r.headers.get('location') ?? '')?.[1];
      if (r.status === 303 && id) posted.push({ id: Number(id), marker });
    }
  };
  const editor = async () => {
    for (let i = 0; !stopped; i++) {
      const marker = `edit-r${run}-${i}`;
      edit.inFlight = marker;
      const r = await visitor.post(`/works/${editedWork}/chapters/${editedChapter}`, { text_format: 'plain', body: longText(marker) });
      if (r.status === 303) edit.acked = marker;
    }
  };
  const importer = async () => {
    for (let i = 0; !stopped; i++) {
      const marker = `import-r${run}-${i}`;
      const r = await fetch(`${server.url}/api/v1/works`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          title: `Crash ${marker}`,
          rating: 'Not Rated',
          warnings: ['No Archive Warnings Apply'],
          fandoms: ['Testing'],
          chapter: { text: longText(marker), format: 'plain' },
        }),
      });
      if (r.status === 201) {
        const body = (await r.json()) as { id?: number; work?: { id: number } };
        const id = body.id ?? body.work?.id;
        if (id) imported.push({ id, marker });
      } else {
        const text = await r.text();
        if (process.env.CRASH_DEBUG) console.error('import', r.status, text.slice(0, 200));
        if (r.status === 429) await new Promise((res) => setTimeout(res, 50));
      }
    }
  };
  // A connection cut by the kill ends a worker; anything else is a real failure.
  const guard = (p: Promise<void>) =>
    p.catch((error) => {
      if (!stopped) throw error;
    });
  const killAfterMs = 1000 + Math.floor(Math.random() * 4000);
  const workers = [guard(poster()), guard(editor()), guard(importer())];
  await new Promise((r) => setTimeout(r, killAfterMs));
  stopped = true;
  await server.kill();
  await Promise.allSettled(workers);

  const problems: string[] = [];
  const handle = await openDatabase({ dataDir });
  try {
    await migrateToLatest(handle.db);
    for (const { id, marker } of [...posted, ...imported]) {
      const chapter = await handle.db.selectFrom('chapters').select('body_html').where('work_id', '=', id).executeTakeFirst();
      if (!chapter) problems.push(`acknowledged work ${id} (${marker}) is missing`);
      else if (!chapter.body_html.includes(`${marker} end`)) problems.push(`work ${id} (${marker}) lost the end of its text`);
    }
    const body = (await handle.db.selectFrom('chapters').select('body_html').where('id', '=', editedChapter).executeTakeFirstOrThrow())
      .body_html;
    const holds = (m: string | null) => m !== null && body.includes(`<p>${m}</p>`) && body.includes(`${m} end`);
    if (edit.acked !== null && !holds(edit.acked) && !holds(edit.inFlight)) {
      problems.push(`the edited chapter holds neither the last acknowledged edit (${edit.acked}) nor the one in flight (${edit.inFlight})`);
    }
    const partial = await sql<{ id: number }>`
      select w.id from works w left join chapters c on c.work_id = w.id group by w.id
      having count(c.id) = 0 or count(c.id) <> max(w.chapter_count) or coalesce(sum(c.word_count), 0) <> max(w.word_count)`.execute(
      handle.db,
    );
    for (const row of partial.rows) problems.push(`work ${row.id} is partial (chapters or counts missing)`);
    const untagged = await sql<{
      id: number;
    }>`select id from works w where not exists (select 1 from work_tags t where t.work_id = w.id)`.execute(handle.db);
    for (const row of untagged.rows) problems.push(`work ${row.id} has no tags`);
  } finally {
    await handle.close();
  }
  return {
    run,
    killAfterMs,
    posts: posted.length,
    imports: imported.length,
    edits: edit.acked ? Number(edit.acked.split('-').at(-1)) + 1 : 0,
    problems,
  };
}

const started = Date.now();
const results: RunResult[] = [];
try {
  for (let run = 1; run <= RUNS; run++) {
    const result = await oneRun(run);
    results.push(result);
    console.log(
      `run ${String(run).padStart(2)}/${RUNS}: killed after ${String(result.killAfterMs).padStart(4)} ms; acknowledged ${result.posts} posts, ${result.imports} imports, ${result.edits} edits; ` +
        (result.problems.length === 0 ? 'all there, no partial work' : `PROBLEMS:\n  ${result.problems.join('\n  ')}`),
    );
  }
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
const failed = results.filter((r) => r.problems.length > 0).length;
const total = (k: 'posts' | 'imports' | 'edits') => results.reduce((n, r) => n + r[k], 0);
console.log(
  `\ncheck:crash: ${results.length} runs, ${failed} with problems; ${total('posts')} posts, ${total('imports')} imports, ${total('edits')} edits acknowledged and verified; ${((Date.now() - started) / 1000).toFixed(0)} s`,
);
process.exitCode = failed === 0 && results.length === RUNS ? 0 : 1;

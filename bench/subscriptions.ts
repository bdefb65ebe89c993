// npm run bench:subscriptions — the cost of telling N subscribers of a new chapter, on the
// embedded database (PGlite, in memory). Measures the fan-out job (a notification record, an
// inbox item and an email job per subscriber, in batches of 500, exactly-once bookkeeping
// included) against a baseline measured in the same run: inserting the same N inbox items in
// one plain statement. Also times a second, idempotent run of the same fan-out (what a
// retry costs: it finds every recipient done and writes nothing).
//
// Options (environment): BENCH_SUBSCRIBERS (comma list, default 1000,5000), BENCH_ROUNDS (default 3).
import { sql } from 'kysely';
import { openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { fanOutWorkUpdate } from '../src/subscriptions/subscriptions.service.ts';

const SIZES = (process.env.BENCH_SUBSCRIBERS ?? '1000,5000')
  .split(',')
  .map(Number)
  .filter((n) => Number.isInteger(n) && n > 0 && n <= 50_000);
const ROUNDS = Math.max(1, Math.min(10, Number(process.env.BENCH_ROUNDS ?? 3) || 3));

const log = (message: string) => process.stderr.write(`[bench:subscriptions] ${message}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const handle = await openDatabase({ dataDir: 'memory://' });
  const db = handle.db;
  try {
    await migrateToLatest(db);
    const max = Math.max(...SIZES);
    log(`seeding ${max} users, one work`);
    await sql`insert into users (login, email, password_hash) select 'u' || g, 'u' || g || '@example.org', 'x' from generate_series(1, ${max + 1}) g`.execute(
      db,
    );
    await sql`insert into pseuds (user_id, name, is_default) select id, login, true from users`.execute(db);
    const work = await db
      .insertInto('works')
      .values({ title: 'Bench Work', is_draft: false, published_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const author = await db.selectFrom('pseuds').select('id').where('name', '=', 'u1').executeTakeFirstOrThrow();
    await db.insertInto('work_creators').values({ work_id: work.id, pseud_id: author.id }).execute();
    const rows: Array<Record<string, string | number>> = [];
    for (const n of SIZES) {
      await sql`delete from subscriptions`.execute(db);
      await sql`insert into subscriptions (user_id, work_id) select id, ${work.id} from users where id between 2 and ${n + 1}`.execute(db);
      const fanOut: number[] = [];
      const again: number[] = [];
      const baseline: number[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        const chapter = await db
          .insertInto('chapters')
          .values({ work_id: work.id, position: round + n, body_html: '<p>x</p>' })
          .returning('id')
          .executeTakeFirstOrThrow();
        let t = performance.now();
        const added = await fanOutWorkUpdate(db, { event: 'chapter', workId: work.id, chapterId: chapter.id }, { emailEnabled: true });
        fanOut.push(performance.now() - t);
        if (added !== n) throw new Error(`fan-out reached ${added} of ${n}`);
        t = performance.now();
        await fanOutWorkUpdate(db, { event: 'chapter', workId: work.id, chapterId: chapter.id }, { emailEnabled: true });
        again.push(performance.now() - t);
        t = performance.now();
        await sql`insert into inbox_items (user_id, kind, work_id, text, url)
          select user_id, 'baseline', ${work.id}, 'New chapter', '/' from subscriptions where work_id = ${work.id}`.execute(db);
        baseline.push(performance.now() - t);
        log(
          `n=${n} round ${round}/${ROUNDS}: fan-out ${fanOut.at(-1)!.toFixed(0)} ms, re-run ${again.at(-1)!.toFixed(0)} ms, baseline ${baseline.at(-1)!.toFixed(0)} ms`,
        );
      }
      const f = median(fanOut);
      const b = median(baseline);
      rows.push({
        subscribers: n,
        'fan-out median ms': Math.round(f),
        'per subscriber µs': Math.round((f * 1000) / n),
        're-run (retry) median ms': Math.round(median(again)),
        'baseline plain insert ms': Math.round(b),
        'fan-out / baseline': Number((f / b).toFixed(1)),
      });
    }
    console.table(rows);
  } finally {
    await handle.close();
  }
}

await main();

// npm run bench:story-intelligence — what reading a story costs the archive, on the embedded
// database (PGlite, in memory): the analysis job of one chapter (load, htmlToText, analyzeText,
// reduce, store, prune) against a baseline measured in the same run, the library alone
// (htmlToText + analyzeText) on the same text; and the read side: loading and merging a work's
// stored analyses (what the proposals panel and the story map do on every view).
//
// Texts: the founding story (~1,500 words) and the founding story's paragraphs repeated to
// ~100,000 words. Options (environment): BENCH_ROUNDS (default 5).
import { openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { analyzeText } from '../src/analysis/index.ts';
import { htmlToText, toChapterHtml } from '../src/works/text/index.ts';
import { loadWorkAnalysis, runChapterAnalysis } from '../src/story-intelligence/story-intelligence.service.ts';
import { readFoundingStory } from '../test/factories.ts';

const ROUNDS = Math.max(1, Math.min(20, Number(process.env.BENCH_ROUNDS ?? 5) || 5));
const log = (message: string) => process.stderr.write(`[bench:story-intelligence] ${message}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const handle = await openDatabase({ dataDir: 'memory://' });
  const db = handle.db;
  try {
    await migrateToLatest(db);
    const story = readFoundingStory();
    const texts = [
      { name: 'founding story', text: story },
      { name: 'founding story ×64', text: Array.from({ length: 64 }, () => story).join('\n\n') },
    ];
    const rows: Array<Record<string, string | number>> = [];
    for (const { name, text } of texts) {
      const html = toChapterHtml(text, 'plain');
      const words = analyzeText(htmlToText(html)).structure.wordCount;
      const work = await db
        .insertInto('works')
        .values({ title: name, is_draft: false, published_at: new Date() })
        .returning('id')
        .executeTakeFirstOrThrow();
      const chapter = await db
        .insertInto('chapters')
        .values({ work_id: work.id, position: 1, body_html: html })
        .returning('id')
        .executeTakeFirstOrThrow();
      const job: number[] = [];
      const library: number[] = [];
      const read: number[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        // A new version each round, as an edit makes.
        const body = `${html}<p>Edit ${round}.</p>`;
        await db.updateTable('chapters').set({ body_html: body }).where('id', '=', chapter.id).execute();
        let t = performance.now();
        const stored = await runChapterAnalysis(db, { chapterId: chapter.id });
        job.push(performance.now() - t);
        if (stored !== work.id) throw new Error('the job stored nothing');
        t = performance.now();
        analyzeText(htmlToText(body));
        library.push(performance.now() - t);
        t = performance.now();
        const merged = await loadWorkAnalysis(db, work.id);
        read.push(performance.now() - t);
        if (!merged.complete) throw new Error('the stored analysis was not found');
        log(
          `${name} (${words} words) round ${round}/${ROUNDS}: job ${job.at(-1)!.toFixed(1)} ms, library alone ${library.at(-1)!.toFixed(1)} ms, read+merge ${read.at(-1)!.toFixed(1)} ms`,
        );
      }
      const stored = await db
        .selectFrom('chapter_analyses')
        .select((eb) => eb.fn.max(eb.fn('length', [eb.cast('result', 'text')])).as('bytes'))
        .where('chapter_id', '=', chapter.id)
        .executeTakeFirstOrThrow();
      rows.push({
        text: name,
        words,
        'job median ms': Number(median(job).toFixed(1)),
        'library alone median ms': Number(median(library).toFixed(1)),
        'job / library': Number((median(job) / median(library)).toFixed(2)),
        'read+merge median ms': Number(median(read).toFixed(1)),
        'stored result bytes': Number(stored.bytes),
      });
    }
    console.table(rows);
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

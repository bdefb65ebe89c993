import { loadConfig } from '../config.ts';
import { openConfiguredDatabase } from '../main.ts';
import { seedArchive } from '../seed/seed.ts';
import { parseCliArgs, printProgress } from './args.ts';

const HELP = `Usage: fanfold seed --works N [--seed S] [--batch B] [--json]

Fills the archive (DATA_DIR or DATABASE_URL) with a realistic synthetic archive of N works,
the same for the same seed: Zipf-distributed fandoms, characters and relationships within
their fandoms, additional tags with synonyms, AO3-like ratings and warnings, long-tailed
word, chapter, kudos and hit counts, dates from 2009 to 2025. Progress goes to stderr.

  --works N   how many works (1 to 5,000,000)
  --seed S    the seed (a whole number; default 1)
  --batch B   works per transaction (default 2000)
  --json      print one JSON object {works, chapters, users, tags, seconds}`;

/** fanfold seed: builds a synthetic archive for trying the site out and for benchmarks. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseCliArgs(argv, {
    works: { type: 'string' },
    seed: { type: 'string', default: '1' },
    batch: { type: 'string', default: '2000' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const works = Number(values.works);
  const seed = Number(values.seed);
  const batch = Number(values.batch);
  if (!Number.isInteger(works) || works < 1 || works > 5_000_000) throw new Error('--works must be a whole number from 1 to 5000000.');
  if (!Number.isInteger(seed)) throw new Error('--seed must be a whole number.');
  if (!Number.isInteger(batch) || batch < 1 || batch > 50_000) throw new Error('--batch must be a whole number from 1 to 50000.');
  const config = loadConfig();
  const handle = await openConfiguredDatabase(config, { progress: printProgress });
  try {
    const started = Date.now();
    const summary = await seedArchive(handle.db, {
      works,
      seed,
      batchSize: batch,
      concurrency: handle.kind === 'postgres' ? 2 : 1,
      onProgress: (done, total) => {
        const seconds = (Date.now() - started) / 1000;
        process.stderr.write(
          `seed: ${done.toLocaleString('en')}/${total.toLocaleString('en')} works (${Math.floor((done / total) * 100)}%), ${Math.round(done / Math.max(seconds, 0.001))} works/s\n`,
        );
      },
    });
    if (values.json) console.log(JSON.stringify(summary));
    else
      console.log(
        `Seeded ${summary.works.toLocaleString('en')} works (${summary.chapters.toLocaleString('en')} chapters, ${summary.users.toLocaleString('en')} creators, ${summary.tags.toLocaleString('en')} tags) into ${handle.kind} (${handle.location}) in ${summary.seconds} s.`,
      );
    return 0;
  } finally {
    await handle.close();
  }
}

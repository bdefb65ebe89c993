// A child process for the crash-safety test: posts works one after another into a PGlite
// data directory and prints each id once its transaction has committed.
import { createAccount } from '../src/accounts/accounts.service.ts';
import { openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createWork } from '../src/works/works.service.ts';
import { WorkMetadataSchema } from '../src/works/works.schema.ts';

const dataDir = process.argv[2]!;
const handle = await openDatabase({ dataDir });
await migrateToLatest(handle.db);
const viewer = await createAccount(handle.db, {
  login: `writer${process.pid}`,
  email: `w${process.pid}@example.org`,
  password: 'crash test password',
});
const meta = WorkMetadataSchema.parse({
  title: 'Crash test',
  rating: 'Not Rated',
  warnings: ['No Archive Warnings Apply'],
  fandoms: 'Testing',
});
const paragraph = 'The quick brown fox jumps over the lazy dog. '.repeat(40);
const text = Array.from({ length: 200 }, () => paragraph).join('\n\n');
process.stdout.write('ready\n');
for (let i = 0; ; i++) {
  const id = await createWork(handle.db, viewer, {
    meta: { ...meta, title: `Crash test ${i}` },
    chapter: { title: '', summary: '', notes: '', endNotes: '', text, format: 'plain' },
    draft: false,
  });
  process.stdout.write(`committed ${id}\n`);
}

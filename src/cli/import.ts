import fs from 'node:fs';
import path from 'node:path';
import { findUserByLogin, findViewerByUserId } from '../accounts/accounts.service.ts';
import { loadConfig } from '../config.ts';
import { openConfiguredDatabase } from '../main.ts';
import { decodeUpload, UploadError } from '../works/text/index.ts';
import { WorkMetadataSchema } from '../works/works.schema.ts';
import { createWork } from '../works/works.service.ts';
import { parseCliArgs, printProgress } from './args.ts';

const HELP = `Usage: fanfold import FILE --creator LOGIN --title TITLE --fandom FANDOM --rating RATING --warning WARNING [options]

Imports a plain text, Markdown or HTML file as a new work (one chapter) credited to LOGIN's default pseud.

  --creator LOGIN        the account to credit (required)
  --title TITLE          the work's title (default: the file name)
  --fandom F             a fandom; repeat for several (at least one)
  --rating R             one of: Not Rated, General Audiences, Teen And Up Audiences, Mature, Explicit
  --warning W            an archive warning; repeat for several (at least one)
  --category C           F/F, F/M, Gen, M/M, Multi or Other; repeatable
  --relationship R, --character C, --tag T    repeatable
  --summary TEXT, --notes TEXT, --language CODE (default en), --chapters N|? (expected, default 1)
  --draft                save as a draft instead of posting
  --restricted           only registered users can read it
  --json                 print one JSON object {id, url, title, words}`;

/** fanfold import: posts a file as a work in one transaction; prints its id and URL. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(
    argv,
    {
      creator: { type: 'string' },
      title: { type: 'string' },
      fandom: { type: 'string', multiple: true },
      rating: { type: 'string' },
      warning: { type: 'string', multiple: true },
      category: { type: 'string', multiple: true },
      relationship: { type: 'string', multiple: true },
      character: { type: 'string', multiple: true },
      tag: { type: 'string', multiple: true },
      summary: { type: 'string' },
      notes: { type: 'string' },
      language: { type: 'string' },
      chapters: { type: 'string' },
      draft: { type: 'boolean', default: false },
      restricted: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    true,
  );
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const file = positionals[0];
  if (!file || positionals.length > 1) {
    console.error(`Name exactly one file to import.\n\n${HELP}`);
    return 2;
  }
  if (!values.creator) {
    console.error('--creator LOGIN is required: the account the work is credited to.');
    return 2;
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    console.error(
      `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}.`,
    );
    return 1;
  }
  let decoded;
  try {
    decoded = decodeUpload(bytes, path.basename(file));
  } catch (error) {
    if (error instanceof UploadError) {
      console.error(`${file}: ${error.message}`);
      return 1;
    }
    throw error;
  }
  const meta = WorkMetadataSchema.safeParse({
    title: values.title ?? path.basename(file).replace(/\.[^.]+$/, ''),
    summary: values.summary,
    notes: values.notes,
    rating: values.rating,
    warnings: values.warning,
    categories: values.category,
    fandoms: values.fandom?.join(','),
    relationships: values.relationship?.join(','),
    characters: values.character?.join(','),
    freeforms: values.tag?.join(','),
    language: values.language,
    expected_chapters: values.chapters ?? '1',
    restricted: values.restricted ? '1' : undefined,
  });
  if (!meta.success) {
    const flag: Record<string, string> = {
      warnings: 'warning',
      fandoms: 'fandom',
      categories: 'category',
      freeforms: 'tag',
      expected_chapters: 'chapters',
    };
    for (const issue of meta.error.issues) {
      const field = String(issue.path[0] ?? 'input');
      console.error(`--${flag[field] ?? field}: ${issue.message}`);
    }
    return 2;
  }
  const config = loadConfig();
  const handle = await openConfiguredDatabase(config, { progress: printProgress });
  try {
    const user = await findUserByLogin(handle.db, values.creator);
    const viewer = user ? await findViewerByUserId(handle.db, user.id) : undefined;
    if (!viewer) {
      console.error(
        `There is no account called ${values.creator}. Create it with: fanfold user create --login ${values.creator} --email … --password …`,
      );
      return 1;
    }
    const id = await createWork(handle.db, viewer, {
      meta: meta.data,
      chapter: { title: '', summary: '', notes: '', endNotes: '', text: decoded.text, format: decoded.format },
      draft: values.draft,
    });
    const work = await handle.db.selectFrom('works').select(['word_count']).where('id', '=', id).executeTakeFirstOrThrow();
    const url = `${config.baseUrl}/works/${id}`;
    if (values.json) console.log(JSON.stringify({ id, url, title: meta.data.title, words: work.word_count, draft: values.draft }));
    else
      console.log(
        `Imported “${meta.data.title}” (${work.word_count.toLocaleString('en')} words) as work ${id}${values.draft ? ' (draft)' : ''}: ${url}`,
      );
    return 0;
  } finally {
    await handle.close();
  }
}

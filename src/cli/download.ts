import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { FORMATS, FormatUnavailableError, isFormat } from '../downloads/downloads.formats.ts';
import { ensureDownload } from '../downloads/downloads.service.ts';
import { openConfiguredDatabase } from '../main.ts';
import { parseId } from '../web/form.ts';
import { parseCliArgs, printProgress } from './args.ts';

const HELP = `Usage: fanfold download WORK_ID --format ${FORMATS.join('|')} --out FILE [--json]

Writes a work as an e-book or document (the same file the archive serves, from its download
cache under DATA_DIR/downloads, built if needed). AZW3 and MOBI need Calibre's ebook-convert.
As an operator's tool it ignores drafts' and restricted works' visibility.

  --format F    ${FORMATS.join(', ')} (default epub)
  --out FILE    where to write it (default: ./<id>.<format>; - for standard output)
  --json        print one JSON object {id, format, out, bytes}`;

/** fanfold download: writes one work in one format to a file. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(
    argv,
    {
      format: { type: 'string', default: 'epub' },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    true,
  );
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const id = parseId(positionals[0]);
  if (id === null || positionals.length !== 1) {
    console.error(`Name exactly one work id (a number).\n\n${HELP}`);
    return 2;
  }
  const format = values.format.toLowerCase();
  if (!isFormat(format)) {
    console.error(`--format: choose one of ${FORMATS.join(', ')}.`);
    return 2;
  }
  const out = values.out ?? `${id}.${format}`;
  const config = loadConfig();
  const handle = await openConfiguredDatabase(config, { progress: printProgress });
  try {
    let built;
    try {
      built = await ensureDownload(handle.db, config, id, format);
    } catch (error) {
      if (error instanceof FormatUnavailableError) {
        console.error(error.message);
        return 1;
      }
      throw error;
    }
    if (!built) {
      console.error(`There is no work ${id}.`);
      return 1;
    }
    if (out === '-') {
      process.stdout.write(fs.readFileSync(built.file));
      return 0;
    }
    fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    fs.copyFileSync(built.file, out);
    if (values.json) console.log(JSON.stringify({ id, format, out: path.resolve(out), bytes: built.size }));
    else console.log(`Wrote “${built.title}” as ${format.toUpperCase()} (${built.size.toLocaleString('en')} bytes) to ${out}`);
    return 0;
  } finally {
    await handle.close();
  }
}

// Runs the real readers' tools the download tests check against (Debian packages in .ci/run).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const EPUBCHECK_JAR = '/usr/share/java/epubcheck.jar';

export function tempFile(name: string, bytes: Uint8Array | string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fanfold-dl-test-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

/** epubcheck's report for a file: its message lines and the error and warning counts. */
export function epubcheck(file: string): { output: string; errors: number; warnings: number; fatals: number } {
  // Debian installs epubcheck as a jar that relies on binfmt to be run directly; java -jar always works.
  const [cmd, args] = fs.existsSync(EPUBCHECK_JAR) ? ['java', ['-jar', EPUBCHECK_JAR, file]] : ['epubcheck', [file]];
  const result = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000 });
  const output = `${result.stdout}\n${result.stderr}`;
  const counts = /Messages:\s*(\d+) fatals?\s*\/\s*(\d+) errors?\s*\/\s*(\d+) warnings?/.exec(output);
  if (!counts) throw new Error(`epubcheck did not run: ${output.slice(0, 500)}`);
  return { output, fatals: Number(counts[1]), errors: Number(counts[2]), warnings: Number(counts[3]) };
}

/** Calibre's ebook-meta fields (Title, Author(s), Tags, Series...) read from a file. */
export function ebookMeta(file: string): Record<string, string> {
  const out = execFileSync('ebook-meta', [file], {
    encoding: 'utf8',
    timeout: 120_000,
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, QT_QPA_PLATFORM: 'offscreen' },
  });
  const fields: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const m = /^([A-Za-z() ]+?)\s*:\s(.*)$/.exec(line);
    if (m) fields[m[1]!.trim()] = m[2]!;
  }
  return fields;
}

export function pdfToText(file: string): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8', timeout: 60_000 });
}

/** Poppler's pdfinfo fields (Title, Author, Subject...) read from a file. */
export function pdfInfo(file: string): Record<string, string> {
  const out = execFileSync('pdfinfo', ['-enc', 'UTF-8', file], { encoding: 'utf8', timeout: 60_000 });
  const fields: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const m = /^([A-Za-z ]+):\s+(.*)$/.exec(line);
    if (m) fields[m[1]!.trim()] = m[2]!;
  }
  return fields;
}

/** Runs python3 with feedparser on a feed's text; returns what it read. */
export function feedparse(xml: string): {
  bozo: number;
  bozo_exception: string;
  feed: Record<string, unknown>;
  entries: Array<Record<string, unknown>>;
} {
  const script = `
import sys, json, feedparser
d = feedparser.parse(sys.stdin.buffer.read())
def clean(o):
    if isinstance(o, dict): return {k: clean(v) for k, v in o.items() if not k.endswith('_parsed')}
    if isinstance(o, list): return [clean(v) for v in o]
    if isinstance(o, (str, int, float, bool)) or o is None: return o
    return str(o)
print(json.dumps({'bozo': int(d.bozo), 'bozo_exception': str(d.get('bozo_exception', '')), 'feed': clean(dict(d.feed)), 'entries': clean([dict(e) for e in d.entries]), 'version': d.version}))
`;
  // Debian's python3 has python3-feedparser; a python3 earlier on the PATH (pyenv) may not.
  const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const out = execFileSync(python, ['-c', script], { input: xml, encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(out);
}

export function hasCommand(name: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, name)));
}

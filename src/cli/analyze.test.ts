import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './analyze.ts';

/** Runs the command with console output captured. */
async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  try {
    const code = await run(argv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

const story = '"Where were you?" asked Nora.\n\n"Out," said Max. He kissed her.\n\nNora smiled. "I love you, Max."\n';

test('prints a human summary by default', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fanfold-analyze-'));
  try {
    const file = join(dir, 'story.txt');
    await writeFile(file, story);
    const r = await capture([file]);
    assert.equal(r.code, 0);
    assert.match(r.out, /Characters/);
    assert.match(r.out, /Nora/);
    assert.match(r.out, /Rating: /);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('--json prints exactly one JSON document with offsets into the text', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fanfold-analyze-'));
  try {
    const file = join(dir, 'story.txt');
    await writeFile(file, story);
    const r = await capture([file, '--json']);
    assert.equal(r.code, 0);
    const doc = JSON.parse(r.out) as {
      quotes: { start: number; end: number; text: string; speaker: string | null }[];
      characters: { name: string }[];
      rating: { value: string };
    };
    assert.equal(doc.quotes.length, 3);
    for (const q of doc.quotes) assert.equal(story.slice(q.start + 1, q.end - 1), q.text);
    assert.deepEqual(
      doc.quotes.map((q) => q.speaker),
      ['Nora', 'Max', 'Nora'],
    );
    assert.ok(doc.characters.some((c) => c.name === 'Max'));
    assert.equal(typeof doc.rating.value, 'string');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a missing file, invalid UTF-8 and binary data give clear errors', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fanfold-analyze-'));
  try {
    const missing = await capture([join(dir, 'nope.txt')]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /no such file/);
    const latin1 = join(dir, 'latin1.txt');
    await writeFile(latin1, Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x2e]));
    const bad = await capture([latin1]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /not valid UTF-8/);
    const bin = join(dir, 'image.png');
    await writeFile(bin, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01]));
    const binary = await capture([bin]);
    assert.equal(binary.code, 1);
    assert.match(binary.err, /binary/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('usage errors exit with 2', async () => {
  assert.equal((await capture([])).code, 2);
  assert.equal((await capture(['a.txt', 'b.txt'])).code, 2);
  assert.equal((await capture(['--bogus', 'a.txt'])).code, 2);
  assert.equal((await capture(['--help'])).code, 0);
});

// `fanfold analyze FILE [--json]`: prints a story's analysis.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { analyzeText, type StoryAnalysis } from '../analysis/index.ts';
import { toAnalysisJson } from '../analysis/report.ts';

const USAGE =
  "Usage: fanfold analyze FILE [--json]\n\nReads a story (UTF-8 plain text or sanitized HTML) and prints its characters, speakers,\nrelationships, scenes, emotional arc, proposed rating and warnings. --json prints one JSON\ndocument whose offsets are string indices into the file's text (after a UTF-8 byte-order mark, if any).";

/** Runs the analyze subcommand; returns the process exit code. */
export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    });
  } catch (error) {
    console.error(`fanfold analyze: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  if (parsed.positionals.length !== 1) {
    console.error(`fanfold analyze: expected exactly one FILE.\n\n${USAGE}`);
    return 2;
  }
  const file = parsed.positionals[0]!;
  const text = await readStory(file);
  if (typeof text !== 'string') {
    console.error(`fanfold analyze: ${text.error}`);
    return 1;
  }
  const analysis = analyzeText(text);
  if (parsed.values.json) console.log(JSON.stringify(toAnalysisJson(analysis), null, 2));
  else console.log(formatSummary(analysis));
  return 0;
}

/** Reads a file as UTF-8 text, refusing missing files, binary data and invalid UTF-8. */
async function readStory(file: string): Promise<string | { error: string }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { error: `no such file: ${file}` };
    if (code === 'EISDIR') return { error: `${file} is a directory, not a text file` };
    if (code === 'EACCES') return { error: `permission denied: ${file}` };
    return { error: `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (bytes.subarray(0, 8192).includes(0))
    return { error: `${file} looks like a binary file (it contains NUL bytes); give a UTF-8 text file` };
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { error: `${file} is not valid UTF-8; convert it first (e.g. iconv -f WINDOWS-1252 -t UTF-8)` };
  }
}

/** Formats the human-readable summary. */
function formatSummary(a: StoryAnalysis): string {
  const lines: string[] = [];
  const spoken = new Map<string, number>();
  for (const q of a.quotes) if (q.speaker !== null) spoken.set(q.speaker, (spoken.get(q.speaker) ?? 0) + 1);
  lines.push(
    `${a.structure.wordCount} words, ${a.structure.paragraphs.length} paragraphs, ${a.quotes.length} quotations, ${a.scenes.length} scenes`,
  );
  lines.push('', 'Characters');
  for (const c of a.characters) {
    const aliases = c.aliases.length > 0 ? ` (also ${c.aliases.join(', ')})` : '';
    lines.push(`  ${c.name}${aliases}: ${c.role}, ${c.gender}, ${c.mentions} mentions, ${spoken.get(c.name) ?? 0} quotations`);
  }
  if (a.relationships.length > 0) {
    lines.push('', 'Relationships');
    for (const r of a.relationships.slice(0, 10))
      lines.push(`  ${r.tag}: ${r.kind}, strength ${r.strength.toFixed(2)}${r.evidence[0] ? ` — "${clip(r.evidence[0].text)}"` : ''}`);
  }
  lines.push('', 'Dialogue');
  for (const q of a.quotes)
    lines.push(`  ${(q.speaker ?? '?').padEnd(16)} ${q.confidence.toFixed(2)}  "${clip(q.text)}"${q.addressee ? ` → ${q.addressee}` : ''}`);
  if (a.scenes.length > 0) {
    lines.push('', 'Scenes');
    a.scenes.forEach((s, i) => lines.push(`  ${i + 1}. at ${s.start}: "${clip(a.structure.plain.slice(s.start, s.end))}"`));
  }
  if (a.arc.length > 0) {
    lines.push('', `Emotional arc (valence, start → end): ${a.arc.map((p) => p.valence.toFixed(2)).join(' ')}`);
  }
  lines.push('', `Rating: ${a.rating.value} (confidence ${a.rating.confidence.toFixed(2)})`);
  for (const e of a.rating.evidence.slice(0, 3)) lines.push(`  "${clip(e.text)}"`);
  lines.push(
    `Warnings: ${a.warnings.length === 0 ? 'none proposed' : a.warnings.map((w) => `${w.value} (${w.confidence.toFixed(2)})`).join(', ')}`,
  );
  for (const w of a.warnings) for (const e of w.evidence.slice(0, 3)) lines.push(`  ${w.value}: "${clip(e.text)}"`);
  lines.push('', 'These are proposals; the author decides.');
  return lines.join('\n');
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 70 ? one.slice(0, 67) + '...' : one;
}

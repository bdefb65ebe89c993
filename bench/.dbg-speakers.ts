import { readFileSync } from 'node:fs';
import { analyzeText } from '../src/analysis/index.ts';
import { detokenise } from './litbank-detok.ts';
const docs = JSON.parse(readFileSync('/work/shared/corpora/litbank/litbank_per_quotes.json', 'utf8'));
const id = process.argv[2]!; const from = Number(process.argv[3] ?? 0); const n = Number(process.argv[4] ?? 30);
const doc = docs.find((d: any) => d.id.startsWith(id));
const d = detokenise(doc.text);
const a = analyzeText(d.text);
const toOrig = (s: any) => ({ start: d.toOrig[s.start]!, end: d.toOrig[s.end - 1]! + 1 });
const ent = (span: any) => { let best = null, bl = 1e9; for (const m of doc.perMentions) if (m.start <= span.start && m.end >= span.end && m.end - m.start < bl) { best = m.entity; bl = m.end - m.start; } return best; };
let prevEnd = 0;
for (const [i, q] of a.quotes.entries()) {
  if (i < from || i >= from + n) continue;
  const o = toOrig(q);
  const g = doc.quotes.find((x: any) => x.start === o.start && x.end === o.end);
  const sm = q.speakerMention ? ent(toOrig(q.speakerMention)) : null;
  const narr = d.text.slice(prevEnd, q.start).replace(/\s+/g, ' ');
  if (narr.trim()) console.log('   | ' + narr.slice(-200));
  const ok = g && sm === g.speaker ? 'OK ' : 'XX ';
  console.log(`${ok}${i} [${q.method}] ${JSON.stringify(q.text.slice(0, 70))} → ${q.speaker ?? (q.speakerMention && d.text.slice(q.speakerMention.start, q.speakerMention.end))} (${sm}) gold ${g?.speaker}`);
  prevEnd = q.end;
}

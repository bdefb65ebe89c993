// Whatever text arrives, analyzeText finishes, returns a well-formed analysis, and costs about
// twice as much for twice the text. Every analysis runs in a worker thread under a deadline, so an
// endless loop fails the test (naming its input) instead of hanging the run.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BoundedAnalyzer } from './analysis.test-helpers.ts';
import { toAnalysisJson } from './report.ts';
import type { StoryAnalysis } from './index.ts';

const analyzer = new BoundedAnalyzer();
after(() => analyzer.close());

/** Far beyond what any of these inputs needs (milliseconds): only a loop that does not end reaches it. */
const DEADLINE_MS = 15_000;

/** Every whitespace character, line-break convention and zero-width character. */
const WHITESPACE = [
  ' ',
  '\t',
  '\n',
  '\r',
  '\r\n',
  '\n\n',
  '\r\n\r\n',
  '\u000b',
  '\f',
  '\u0085',
  '\u00a0',
  '\u1680',
  '\u2000',
  '\u2001',
  '\u2002',
  '\u2003',
  '\u2004',
  '\u2005',
  '\u2006',
  '\u2007',
  '\u2008',
  '\u2009',
  '\u200a',
  '\u2028',
  '\u2029',
  '\u202f',
  '\u205f',
  '\u3000',
  '\ufeff',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2060',
  '\u180e',
];
/** Every quotation-mark family, and the dashes that open dialogue. */
const MARKS = [
  '"',
  "'",
  '`',
  '\u201e',
  '\u201c',
  '\u201d',
  '\u2018',
  '\u2019',
  '\u201a',
  '\u00ab',
  '\u00bb',
  '\u2039',
  '\u203a',
  '\u300c',
  '\u300d',
  '\u300e',
  '\u300f',
  '\u2013',
  '\u2014',
  '\u2015',
  '--',
  '-',
];
const PUNCTUATION = ['.', ',', '!', '?', '\u2026', ';', ':', '...', '?!', '(', ')', '[', ']', '*', '* * *', '~', '#', '&', '<', '>'];
const WORDS = [
  'the',
  'a',
  'an',
  'this',
  'that',
  'The',
  'A',
  'An',
  'This',
  'That',
  'Ann',
  'Max',
  'Nora',
  'Mr.',
  'Mrs.',
  'Miss',
  'Captain',
  'John',
  'Reed',
  'said',
  'asked',
  'cried',
  'went',
  'on',
  'replied',
  'he',
  'she',
  'He',
  'She',
  'his',
  'her',
  'I',
  'you',
  'my',
  'mother',
  'father',
  'uncle',
  'man',
  'woman',
  'clergyman',
  'thing',
  'other',
  'another',
  'one',
  'of',
  'and',
  'but',
  'when',
  'to',
  'love',
  'kissed',
  'died',
  'killed',
  'CHAPTER',
  'Chapter',
  'II',
  'One',
  'Later',
  'next',
  'morning',
  'Oh',
  'Yes',
  'No',
  'who',
  'well',
  'dear',
  "don't",
  'Ann\u2019s',
  "Max's",
  'Zo\u00eb',
  '\u0141ukasz',
  '\u00c9lodie',
  'caf\u00e9',
  '\u540d\u524d',
  '\u0438\u043c\u044f',
  '\ud83d\ude00',
  '\ud83d\udc69\u200d\ud83d\udc67',
  'e\u0301',
  '12',
  '1999',
  // other languages' words, so that their word lists are chosen and read
  'die',
  'der',
  'Der',
  'sagte',
  'Guten',
  'Morgen',
  'Nein',
  'T\u00fcr',
  'dijo',
  'respondi\u00f3',
  '\u00e9l',
  'ella',
  'dit',
  'il',
  'elle',
  'demanda',
  'Autumn',
  'Snow',
  'kat_wolfe',
];
/** The dialogue formats with their own passes: chat, IRC and script lines, dash attributions, incises. */
const FORMATS = [
  '[21:04] kat_wolfe: ',
  '(9:15 PM) <max> ',
  '<kat> ',
  'KAT: ',
  'Kat: ',
  'Summary: ',
  '\n\u2013 Hello, said Anna. ',
  '\n\u2014No \u2014respondi\u00f3 Carlos\u2014. ',
  '\u2014dijo ella\u2014',
  ', dit-il',
  ', demanda-t-elle, ',
  '\u00ab\u00a0Je sais, dit-elle, mais ',
  '\u00a0\u00bb',
  '\u201eNein\u201c, sagte er. ',
  '\u00bbKomm\u00ab, rief sie. ',
  '\u201dHej\u201d, sa Anna. ',
  '\u300c\u300e',
  '\u300f\u300d',
  '(Max shrugs.)\n',
];
const HTML = [
  '<p>',
  '</p>',
  '<br>',
  '<hr>',
  '<em>',
  '</em>',
  '<div class="x">',
  '&nbsp;',
  '&ldquo;',
  '&rdquo;',
  '&mdash;',
  '&#8220;',
  '&#x201d;',
  '&amp;',
  '<p',
  '&',
];
const LONE_SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff', '\udc00\ud800'];

const pieces = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 6, arbitrary: fc.constantFrom(...WHITESPACE) },
  { weight: 3, arbitrary: fc.constantFrom(...MARKS) },
  { weight: 3, arbitrary: fc.constantFrom(...PUNCTUATION) },
  { weight: 1, arbitrary: fc.constantFrom(...HTML) },
  { weight: 1, arbitrary: fc.constantFrom(...LONE_SURROGATES) },
  { weight: 3, arbitrary: fc.constantFrom(...FORMATS) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
  // a determiner ending a line, or held to its noun by a no-break space (the endless loop of old)
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom('the', 'a', 'an', 'this', 'that', 'The', 'A'),
        fc.constantFrom('\n', '\r\n', '\r', '\u00a0', '\u2028', '\u3000', '\t'),
        fc.constantFrom('is.', 'man', 'thing said', '"Hi."', ''),
      )
      .map((p) => p.join('')),
  },
  // a long run of one piece: very long lines, mark runs, space runs
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...WORDS, ...WHITESPACE, ...MARKS, ...PUNCTUATION, ...FORMATS, ' the', ' a\n'),
        fc.integer({ min: 50, max: 3000 }),
      )
      .map(([p, k]) => p.repeat(k)),
  },
);
/** Story-like text: words, every kind of whitespace and mark, HTML bits, runs, surrogates. */
const storyish = fc.array(pieces, { maxLength: 400 }).map((p) => p.join(''));
/** Every UTF-16 code unit, lone surrogates included. */
const codeUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 400 });

/** Checks that an analysis is well-formed for its text: offsets inside it, ids that exist, numbers in range. */
function assertWellFormed(text: string, a: StoryAnalysis): void {
  const n = text.length;
  const inText = (what: string, s: { start: number; end: number }): void => {
    assert.ok(
      Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.start <= s.end && s.end <= n,
      `${what} ${JSON.stringify(s)} lies outside a text of ${n}`,
    );
  };
  assert.equal(a.structure.plain.length, n, 'the plain text keeps the input length');
  assert.equal(a.structure.wordCount, a.structure.tokenStarts.length);
  a.structure.paragraphs.forEach((p) => inText('paragraph', p));
  a.structure.sentences.forEach((s) => inText('sentence', s));
  for (let i = 0; i < a.structure.tokenStarts.length; i++)
    inText('token', { start: a.structure.tokenStarts[i]!, end: a.structure.tokenEnds[i]! });
  a.characters.forEach((c, i) => {
    assert.equal(c.id, i);
    assert.ok(c.name.length > 0);
    assert.ok(c.mentions >= 0);
    c.mentionSpans.forEach((s) => inText('mention', s));
  });
  let previousStart = -1;
  for (const q of a.quotes) {
    inText('quotation', q);
    assert.ok(q.start >= previousStart, 'quotations in text order');
    previousStart = q.start;
    assert.ok(q.speakerId === -1 || (q.speakerId >= 0 && q.speakerId < a.characters.length), `speaker id ${q.speakerId}`);
    assert.ok(q.confidence >= 0 && q.confidence <= 1, `confidence ${q.confidence}`);
    if (q.speakerMention !== null) inText('speaker mention', q.speakerMention);
  }
  for (const r of a.relationships) {
    assert.ok(r.strength > 0 && r.strength <= 1, `strength ${r.strength}`);
    r.evidence.forEach((e) => inText('evidence', e));
  }
  a.scenes.forEach((s) => inText('scene', s));
  for (const p of a.arc) {
    assert.ok(p.offset >= 0 && p.offset <= n);
    assert.ok(Number.isFinite(p.valence) && p.valence >= -1 && p.valence <= 1, `valence ${p.valence}`);
  }
  a.turningPoints.forEach((t) => assert.ok(t > 0 && t < a.arc.length - 1));
  assert.ok(['General Audiences', 'Teen And Up Audiences', 'Mature', 'Explicit'].includes(a.rating.value));
  a.rating.evidence.forEach((e) => inText('rating evidence', e));
  assert.ok(a.warnings.length > 0 || a.language !== 'en', 'English texts always get a warning proposal');
  assert.ok(['en', 'es', 'fr', 'de', 'unknown'].includes(a.language), `language ${a.language}`);
  assert.doesNotThrow(() => JSON.stringify(toAnalysisJson(a)));
}

async function assertFinishes(text: string): Promise<void> {
  const outcome = await analyzer.analyze(text, DEADLINE_MS);
  const shown = JSON.stringify(text.length > 300 ? text.slice(0, 300) + '…' : text);
  assert.notEqual(
    outcome.kind,
    'timeout',
    `analyzeText did not finish within ${DEADLINE_MS / 1000} s on ${shown} (${text.length} characters)`,
  );
  if (outcome.kind === 'threw') assert.fail(`analyzeText threw on ${shown}: ${outcome.message}`);
  if (outcome.kind === 'done') assertWellFormed(text, outcome.analysis);
}

const property = (arbitrary: fc.Arbitrary<string>, numRuns: number): Promise<void> =>
  fc.assert(fc.asyncProperty(arbitrary, assertFinishes), { numRuns, endOnFailure: true });

test('any string of code points finishes with a well-formed analysis', () => property(fc.string({ unit: 'binary', maxLength: 400 }), 150));

test('any string of graphemes finishes with a well-formed analysis', () => property(fc.string({ unit: 'grapheme', maxLength: 400 }), 150));

test('any string of UTF-16 code units, lone surrogates included, finishes with a well-formed analysis', () => property(codeUnits, 150));

test('story-like text with every whitespace, quotation mark and dash finishes with a well-formed analysis', () => property(storyish, 400));

/** Text in another language's words and dialogue formats only, so that its word lists and passes are the ones that run. */
const foreignish = fc
  .array(
    fc.oneof(
      fc.constantFrom(...WORDS.slice(WORDS.indexOf('die'))),
      fc.constantFrom(...FORMATS),
      fc.constantFrom(...WHITESPACE),
      fc.constantFrom(...MARKS),
    ),
    {
      maxLength: 400,
    },
  )
  .map((p) => p.join(' '));

test('text in Spanish, French or German words and in chat, script and dash formats finishes with a well-formed analysis', () =>
  property(foreignish, 300));

// ------------------------------------------------------------------------------- cost

/** A seeded generator, so that each size of an input is the same text made longer. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const NAMES = ['Nora', 'Max', 'Ann Lee', 'Tom', 'Mrs. Hart', 'Captain Reed', 'Liz', 'Stefan', 'Caroline', 'Damon', 'Elena', 'Jeremy'];
const VERBS = ['said', 'asked', 'replied', 'cried', 'whispered', 'answered'];
const ACTIONS = [
  'walked to the window',
  'sat down by the fire',
  'looked at the old man',
  'kissed her mother',
  'shouted at the clergyman',
  'laughed',
  'took the letter from the table',
  'hugged her sister',
];
const LINES = [
  'Where were you?',
  'Out.',
  'I love you.',
  'No, you do not understand me at all.',
  'Well, that is a pity.',
  'Come here, Tom!',
  'Is it raining again?',
];

/** Realistic prose: narration, attributed and unattributed dialogue, paragraphs, scene breaks. */
function prose(length: number, seed = 1): string {
  const rnd = seeded(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const parts: string[] = [];
  let size = 0;
  while (size < length) {
    const r = rnd();
    const p =
      r < 0.35
        ? `${pick(NAMES)} ${pick(ACTIONS)}. ${rnd() < 0.5 ? 'She' : 'He'} ${pick(ACTIONS)}, and the night was cold.`
        : r < 0.6
          ? `"${pick(LINES)}" ${pick(VERBS)} ${pick(NAMES)}.`
          : r < 0.8
            ? `"${pick(LINES)}"`
            : r < 0.97
              ? `${pick(NAMES)} ${pick(ACTIONS)}. "${pick(LINES)}"`
              : '* * *';
    parts.push(p);
    size += p.length + 2;
  }
  return parts.join('\n\n');
}

/** Text whose every line ends in a determiner (hard-wrapped prose, the shape that once looped). */
function hardWrapped(length: number): string {
  const rnd = seeded(2);
  const lines: string[] = [];
  let size = 0;
  while (size < length) {
    const line = `${NAMES[Math.floor(rnd() * NAMES.length)]} ${ACTIONS[Math.floor(rnd() * ACTIONS.length)]} and saw ${['the', 'a', 'an', 'this', 'that'][Math.floor(rnd() * 5)]}`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n') + '\n';
}

/** Made-up names, all different: a cast as large as the text. */
function manyNames(length: number): string {
  const rnd = seeded(5);
  const name = (): string =>
    String.fromCharCode(65 + Math.floor(rnd() * 26)) +
    Array.from({ length: 5 }, () => String.fromCharCode(97 + Math.floor(rnd() * 26))).join('');
  const parts: string[] = [];
  let size = 0;
  while (size < length) {
    const p = `"Hi," said ${name()}. ${name()} kissed ${name()}.`;
    parts.push(p);
    size += p.length + 1;
  }
  return parts.join(' ');
}

/** The same text at about `length` characters, by repeating a unit. */
const repeated =
  (unit: string) =>
  (length: number): string =>
    unit.repeat(Math.ceil(length / unit.length));

const COST_INPUTS: [string, (length: number) => string][] = [
  ['realistic prose', (n) => prose(n)],
  ['prose that lost its line breaks', (n) => prose(n, 3).replace(/\n\n/g, ' ')],
  [
    'prose with CR line ends and no-break spaces',
    (n) =>
      prose(n, 4)
        .replace(/\n/g, '\r')
        .replace(/ (?=[a-z])/g, '\u00a0'),
  ],
  ['hard-wrapped lines ending in a determiner', hardWrapped],
  ['unattributed dialogue, one line each', repeated('"Is it raining again?"\n"No."\n')],
  ['runs of marks and spaces', repeated('Ann said' + '!'.repeat(300) + ' '.repeat(300) + '"\u00a0the\n')],
  // one structure as long as the text: a pattern retried from each of its characters shows here
  ['one run of marks, one of spaces, in one quotation', (n) => 'Ann ran.\n\n"Ann' + ' '.repeat(n / 2) + '!?'.repeat(n / 4) + 'x"'],
  ['one paragraph naming thousands of people', manyNames],
  ['one run of capitalised words', (n) => 'said Ann ' + repeated('Xavier Quill Yolanda Zed ')(n) + 'The end.'],
  ['unclosed HTML tags', (n) => '<p>Ann ran.</p>' + repeated('<em class="a" ')(n)],
  ['a chat log', repeated('[21:04] kat_wolfe: are u still up\n[21:05] max_power: ya cant sleep\n')],
  ['a script', repeated('KAT: Are you coming?\n\n(Max shrugs and looks away.)\n\nMAX: Maybe.\n\n')],
  [
    'Spanish dash dialogue with attributions',
    repeated(
      '\u2014No \u2014respondi\u00f3 Carlos\u2014. Nunca. Carlos mir\u00f3 por la ventana y la lluvia ca\u00eda.\n\n\u2014S\u00ed \u2014dijo ella.\n\n',
    ),
  ],
  ['German low-high quotations', repeated('\u201eGuten Morgen\u201c, sagte Anna. Der Hund bellte, und die T\u00fcr war offen.\n\n')],
  ['French incises in guillemets', repeated('\u00ab\u00a0Je sais, dit-elle, mais je vais voir.\u00a0\u00bb Marie sourit.\n\n')],
  // one structure as long as the text: a dash line full of attributions, a name line, a run of guillemets
  ['one dash line full of attributions', (n) => '\u2013 ' + repeated('Hello, said Anna, and ')(n)],
  ['one chat line as long as the text', (n) => 'Kat: ' + repeated('are u still up ')(n) + '\nMax: ya\nKat: ok'],
  [
    'French exchanges in one pair of guillemets, the closing mark far away',
    (n) =>
      '\u00ab Je ne sais pas, dit-il, mais je vais voir.\n\n' +
      repeated('\u2014 Tu es en retard, r\u00e9pondit-elle. Oui, je sais.\n\n')(n) +
      '\u00bb',
  ],
  ['German guillemets out of step', repeated('\u00bbNein\u00ab sagte er \u00bb')],
  [
    'dash dialogue without quotation marks',
    repeated('He said: \u2014 Come up, Kinch! Come up, you fearful jesuit! he cried. Then he went on. '),
  ],
];

/** Medians of the worker's own timings of analyzeText (CPU and wall), in milliseconds, runs of the two texts interleaved. */
async function medianMs(texts: string[], runs: number): Promise<{ cpu: number; wall: number }[]> {
  const cpu: number[][] = texts.map(() => []);
  const wall: number[][] = texts.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const [k, text] of texts.entries()) {
      const outcome = await analyzer.analyze(text, DEADLINE_MS);
      assert.equal(outcome.kind, 'done', `analysis of ${text.length} characters did not finish`);
      if (outcome.kind === 'done') {
        cpu[k]!.push(outcome.cpuMs);
        wall[k]!.push(outcome.ms);
      }
    }
  }
  const median = (xs: number[]): number => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  return texts.map((_, k) => ({ cpu: median(cpu[k]!), wall: median(wall[k]!) }));
}

test('doubling the text at most about doubles the time (linear, not quadratic, growth)', async (t) => {
  const n = 40_000; // large enough that a run takes several milliseconds, small enough to keep the file fast
  for (const [name, make] of COST_INPUTS) {
    const texts = [make(n), make(2 * n)];
    await medianMs(texts, 1); // warm-up: compile the hot paths before timing
    // CPU time, not wall time: the machine is shared, and other processes slow the wall clock at
    // random. A noisy measurement is taken again (up to three times); quadratic growth fails all.
    let ratio = Infinity;
    let shown = '';
    for (let attempt = 0; attempt < 3 && ratio >= 3.5; attempt++) {
      const [small, large] = await medianMs(texts, 5);
      ratio = large!.cpu / Math.max(small!.cpu, 5); // below 5 ms, timer noise is all there is
      shown = `${name}: ${texts[0]!.length} characters took ${small!.cpu.toFixed(1)} ms of CPU (${small!.wall.toFixed(1)} ms wall), ${texts[1]!.length} took ${large!.cpu.toFixed(1)} ms (${large!.wall.toFixed(1)} ms wall): ×${ratio.toFixed(2)}`;
      t.diagnostic(shown);
    }
    assert.ok(ratio < 3.5, `${shown}; quadratic growth would be ×4`);
  }
});

// Shared by the parsers' property tests: the characters parsers treat specially, and a check that
// a parser's time grows linearly with its input. Not a test file itself.
import assert from 'node:assert/strict';
import fc from 'fast-check';

// Characters that parsers treat specially: every kind of line break and space, every quotation
// mark, lone surrogates, NUL and the other controls, non-characters, a BOM.
export const SPECIAL_CHARS = [
  '\r\n',
  '\r',
  '\n',
  '\u2028',
  '\u2029',
  '\u0085',
  '\t',
  '\v',
  '\f',
  ' ',
  '\u00a0',
  '\u2007',
  '\u202f',
  '\u3000',
  '\u200b',
  '"',
  "'",
  '`',
  '\u201c',
  '\u201d',
  '\u2018',
  '\u2019',
  '\u201e',
  '\u00ab',
  '\u00bb',
  '\u2039',
  '\u203a',
  '\u300c',
  '\u300d',
  '\uff02',
  '\ud800',
  '\udfff',
  '\ud83d',
  '\ude00',
  '\ud83d\ude00',
  '\u0000',
  '\u0001',
  '\u0008',
  '\u001b',
  '\u001f',
  '\u007f',
  '\u0080',
  '\u009f',
  '\ufeff',
  '\ufffe',
  '\uffff',
  '\ufffd',
  '\u0301',
  '\u200d',
  '\u202e',
  '\u4e2d',
  '\u3042',
  '\u30a2',
  '\u0627',
  'e\u0301',
];
/** One character, often one that parsers treat specially. */
export const char = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_CHARS) },
  { weight: 3, arbitrary: fc.constantFrom('a', 'b', 'Z', '1', '0', ' ', '.', ',', '-', '!', '?', ':', ';', '\\', '/') },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);
/** Pieces of HTML, valid, broken and hostile. */
export const HTML_PIECES = [
  '<b>',
  '</b>',
  '<i>',
  '</i>',
  '<p>',
  '</p>',
  '<div>',
  '</div>',
  '<span style="text-align: center">',
  '</span>',
  '<br>',
  '<br/>',
  '<hr>',
  '<a href="',
  '<a href="javascript:alert(1)">',
  '<a name="fn1">',
  '</a>',
  '<img src="https://x/y.png" alt="',
  '<img src=x onerror=alert(1)>',
  '<svg/>',
  '<svg>',
  '</svg>',
  '<math>',
  '<title>',
  '</title>',
  '<script>',
  '</script>',
  '<style>',
  '<textarea>',
  '<table>',
  '<tr>',
  '<td>',
  '<ul>',
  '<li>',
  '<ol start="3">',
  '<blockquote>',
  '<pre>',
  '</pre>',
  '<center>',
  '<details open>',
  '<ruby>',
  '<rt>',
  '<!--',
  '-->',
  '<![CDATA[',
  ']]>',
  '<?xml ',
  '?>',
  '<!DOCTYPE html>',
  '<',
  '>',
  '</',
  '/>',
  '=',
  '"',
  "'",
  '&',
  '&amp;',
  '&#',
  '&#x',
  ';',
  '&nbsp;',
  '&#0;',
  '&#x110000;',
  '&#146;',
  '&unknown;',
  ' title="',
  ' lang="en"',
  ' align="center"',
  ' dir=rtl',
  '\n\n',
  '\n',
];
/** Pieces of Markdown syntax. */
export const MARKDOWN_PIECES = [
  '*',
  '**',
  '***',
  '_',
  '__',
  '~~',
  '`',
  '```',
  '~~~',
  '[',
  ']',
  '(',
  ')',
  '](',
  '![',
  '[x]: https://x',
  '[x]',
  '<',
  '>',
  '> ',
  '- ',
  '* ',
  '+ ',
  '1. ',
  '2) ',
  '#',
  '# ',
  '###### ',
  '|',
  '|-|',
  '---',
  '===',
  '    ',
  '  \n',
  '\n',
  '\n\n',
  '\\',
  '\\*',
  '<div>',
  '</div>',
  '<b>',
  'www.x.org',
  'https://x.org/',
  'a@b.org',
  '&',
  '&amp;',
  '- [ ] ',
  '- [x] ',
  ':',
  '"',
  "'",
];

/** A string of pieces (tags, syntax) mixed with characters. */
export const soup = (pieces: readonly string[], maxLength = 120) =>
  fc
    .array(fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...pieces) }, { weight: 3, arbitrary: char }), { maxLength })
    .map((parts) => parts.join(''));

export const unicodeText = fc.array(char, { maxLength: 200 }).map((parts) => parts.join(''));

/** Runs f; an error other than the documented ones fails the property. */
export function onlyDocumentedErrors(f: () => unknown, ...documented: (new (...args: never[]) => Error)[]): void {
  try {
    f();
  } catch (error) {
    if (documented.some((type) => error instanceof type)) return;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Cost: the time at n and at 2n characters (n about 50 KB). Doubling the input should at most
// about double the time: a check for quadratic behaviour, not a speed target.

export const N = 50_000;

/**
 * The least time at n and at 2n over interleaved runs. Noise only ever adds time: garbage
 * collection, the JIT, and above all another process holding the core (the test runner runs two
 * test files at once on a two-core machine, and a CI run once failed a linear parser on a median
 * of such times). So the least time is the closest to the parser's own cost, and quadratic work
 * cannot hide in it. Wall time, not CPU time: some kernels count CPU time in 4 ms ticks, too
 * coarse for runs of 10 to 100 ms.
 */
function measure(run: (input: string) => void, small: string, large: string, runs: number): { small: number; large: number } {
  const least = { small: Number.POSITIVE_INFINITY, large: Number.POSITIVE_INFINITY };
  run(small);
  run(large);
  for (let i = 0; i < runs; i++) {
    for (const [key, input] of [
      ['small', small],
      ['large', large],
    ] as const) {
      const start = performance.now();
      run(input);
      least[key] = Math.min(least[key], performance.now() - start);
    }
  }
  return least;
}

/**
 * Asserts that doubling the input at most about doubles the time (ratio under 3.5; quadratic
 * gives 4). Times of a few milliseconds are mostly noise, so the small time counts as at least
 * 10 ms: quadratic behaviour at 50 KB costs far more than that. A failing ratio is measured once
 * more, with more runs, and then from 2n to 4n before failing: a step in the runtime's own costs
 * (a collection that starts at one heap size: Node 22 in CI once read x4.98 on a parser that reads
 * x1.8 from 100 to 200 KB) falls between one pair of sizes, where quadratic work shows in both.
 */
export function assertLinear(name: string, build: (n: number) => string, run: (input: string) => void, n = N): void {
  const small = build(n);
  const large = build(2 * n);
  let result = measure(run, small, large, 3);
  let ratio = result.large / Math.max(result.small, 10);
  if (ratio >= 3.5) {
    result = measure(run, small, large, 7);
    ratio = result.large / Math.max(result.small, 10);
  }
  const sizes = `${result.small.toFixed(1)} ms at ${small.length} chars, ${result.large.toFixed(1)} ms at ${large.length}`;
  if (ratio < 3.5) return;
  const larger = build(4 * n);
  const next = measure(run, large, larger, 3);
  const nextRatio = next.large / Math.max(next.small, 10);
  assert.ok(
    nextRatio < 3.5,
    `${name}: ${sizes} (x${ratio.toFixed(2)}); ${next.small.toFixed(1)} ms at ${large.length}, ${next.large.toFixed(1)} ms at ${larger.length} (x${nextRatio.toFixed(2)})`,
  );
}

/** A builder repeating the unit to n characters. */
export const repeat = (unit: string) => (n: number) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);

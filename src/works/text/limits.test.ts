import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Parser } from 'htmlparser2';
import { MAX_NESTING, measureHtmlNesting, NestingTooDeepError, toChapterHtml, toFieldHtml } from './index.ts';
import { longestDelimiterRun, measureMarkdownLineNesting, VOID_ELEMENTS } from './limits.ts';

/** The depth htmlparser2's own Parser reaches (the reference the scan must agree with). */
function parserDepth(html: string, options: { xml?: boolean; recognizeSelfClosing?: boolean } = {}): number {
  let depth = 0;
  let deepest = 0;
  const xml = options.xml ?? false;
  const voids = VOID_ELEMENTS;
  const parser = new Parser(
    {
      onopentagname(name) {
        if (xml || !voids.has(name)) deepest = Math.max(deepest, ++depth);
      },
      onclosetag(name) {
        if (xml || !voids.has(name)) depth--;
      },
    },
    { xmlMode: xml, decodeEntities: true, recognizeSelfClosing: options.recognizeSelfClosing ?? xml },
  );
  parser.write(html);
  parser.end();
  return deepest;
}

const refusesAsTooDeep = (depth: number | null) => (error: unknown) => {
  assert.ok(error instanceof NestingTooDeepError, `expected NestingTooDeepError, got ${String(error)}`);
  assert.equal(error.depth, depth);
  assert.equal(error.limit, MAX_NESTING);
  assert.match(error.message, /the archive accepts at most 200\./);
  return true;
};

describe('measureHtmlNesting', () => {
  test('counts what htmlparser2 builds: implied closes, void elements, stray and mismatched closing tags', () => {
    const samples = [
      '<p>one<p>two<p>three',
      '<ul><li>a<li>b<li><ul><li>c</ul></ul>',
      '<table><tr><td>a<td>b<tr><td>c</table>',
      '<b><i>x</b></i><em>y',
      '<br><br><img src=x><hr><p>after</p>',
      '</p></p><div></span></div>',
      '<dl><dt>a<dd>b<dt>c<dd>d</dl>',
      '<select><option>a<option>b</select>',
      '<div/><span/><b/>text',
      '<svg><rect/><g><circle/></g></svg><title>t</title>',
      '<script><b><b><b></script><b>',
      '<!-- <b><b> --><b>',
      '<textarea><b><b></textarea>',
    ];
    for (const html of samples) {
      assert.equal(measureHtmlNesting(html), parserDepth(html), html);
      assert.equal(measureHtmlNesting(html, { recognizeSelfClosing: true }), parserDepth(html, { recognizeSelfClosing: true }), html);
    }
    assert.equal(measureHtmlNesting('<a><b/><c><d/></c></a>', { xml: true }), parserDepth('<a><b/><c><d/></c></a>', { xml: true }));
  });

  test('the usual shapes of a story are shallow', () => {
    assert.equal(measureHtmlNesting('<p>one</p><p>two <em>three</em></p>'), 2);
    assert.equal(measureHtmlNesting('<p>' + 'word '.repeat(1000) + '</p>'), 1);
    assert.equal(measureHtmlNesting('<p>x'.repeat(5000)), 1);
    assert.equal(measureHtmlNesting('<li>x'.repeat(5000)), 1);
    assert.equal(measureHtmlNesting('<a id="x"/>'.repeat(500), { recognizeSelfClosing: true }), 1);
  });

  test('self-closed <svg> leaves a foreign context open in the parser (a stack it grows with unshift), and is counted', () => {
    assert.equal(parserDepth('<svg/>'.repeat(300)), 1);
    assert.equal(measureHtmlNesting('<svg/>'.repeat(300)), 300);
    assert.equal(measureHtmlNesting('<svg><g/></svg>'.repeat(300)), 2);
  });

  test('10,000 nested elements are measured exactly and refused by the sanitizer', () => {
    const html = '<b>'.repeat(10_000) + 'x';
    assert.equal(measureHtmlNesting(html), 10_000);
    assert.throws(() => toChapterHtml(html, 'html'), refusesAsTooDeep(10_000));
    assert.throws(() => toFieldHtml('<i>'.repeat(300) + 'x'), refusesAsTooDeep(300));
  });

  test('the message tells the author the depth, the limit and what to do', () => {
    assert.throws(() => toChapterHtml('<b>'.repeat(10_000), 'html'), {
      message: 'This text nests formatting 10,000 levels deep; the archive accepts at most 200. Remove the extra nesting and try again.',
    });
  });

  test('199 and 200 levels are accepted (text kept), 201 refused', () => {
    for (const depth of [199, 200]) {
      const out = toChapterHtml('<div>'.repeat(depth) + 'deep text' + '</div>'.repeat(depth), 'html');
      assert.match(out, /deep text/);
    }
    assert.throws(() => toChapterHtml('<div>'.repeat(201) + 'x', 'html'), refusesAsTooDeep(201));
  });
});

describe('Markdown nesting', () => {
  test('the line scan counts quote and list markers, lists as two levels', () => {
    assert.deepEqual(measureMarkdownLineNesting('plain\n> > quoted\n> - > x'), { depth: 4, line: 3 });
    assert.deepEqual(measureMarkdownLineNesting('1. 2) - x'), { depth: 6, line: 1 });
    assert.equal(measureMarkdownLineNesting('-no space, *not a list*').depth, 0);
    assert.equal(measureMarkdownLineNesting('* '.repeat(300)).depth, 0, 'a long `* * *` is a scene break');
  });

  test('10,000 `>` on one line are refused before marked runs', () => {
    assert.throws(() => toChapterHtml('>'.repeat(10_000) + ' x', 'markdown'), {
      name: 'NestingTooDeepError',
      message:
        'This Markdown nests block quotes or lists 10,000 levels deep (line 1); the archive accepts at most 200. Remove the extra ">" or list markers and try again.',
    });
    assert.throws(() => toChapterHtml('- '.repeat(10_000) + 'x', 'markdown'), refusesAsTooDeep(20_000));
  });

  test('199 nested quotes, on one line or built up over lines, convert without overflowing the stack', () => {
    const oneLine = toChapterHtml('>'.repeat(199) + ' deep', 'markdown');
    assert.equal((oneLine.match(/<blockquote>/g) ?? []).length, 100, 'the sanitizer keeps 100 levels');
    assert.match(oneLine, /deep/);
    const stairs = Array.from({ length: 199 }, (_, i) => '>'.repeat(i + 1) + ` line ${i}`).join('\n');
    assert.match(toChapterHtml(stairs, 'markdown'), /line 198/);
  });

  test('nesting built over lines past the limit is stopped inside marked (no stack overflow)', () => {
    const stairs = Array.from({ length: 2_000 }, (_, i) => '>'.repeat(i + 1) + ' x').join('\n');
    assert.throws(
      () => toChapterHtml(stairs, 'markdown'),
      (error: unknown) => error instanceof NestingTooDeepError,
    );
    const indentedLists = Array.from({ length: 300 }, (_, i) => ' '.repeat(2 * i) + '- x').join('\n');
    assert.throws(() => toChapterHtml(indentedLists, 'markdown'), refusesAsTooDeep(null));
    assert.match(toChapterHtml(Array.from({ length: 99 }, (_, i) => ' '.repeat(2 * i) + `- item ${i}`).join('\n'), 'markdown'), /item 98/);
  });

  test('inline formatting nested past the limit ends as bounded HTML or NestingTooDeepError, never a stack overflow', () => {
    const em = '*a '.repeat(199) + 'x' + ' a*'.repeat(199);
    assert.match(toChapterHtml(em, 'markdown'), /<em>/);
    for (const input of [
      '~~a '.repeat(300) + 'x' + ' a~~'.repeat(300),
      '_a '.repeat(5_000) + 'x' + ' a_'.repeat(5_000),
      '*_~~'.repeat(300) + 'x' + '~~_*'.repeat(300),
    ]) {
      try {
        assert.ok(measureHtmlNesting(toChapterHtml(input, 'markdown')) <= MAX_NESTING);
      } catch (error) {
        assert.ok(error instanceof NestingTooDeepError, String(error));
      }
    }
  });

  test('a long run of `*` inside text is refused up front; a line of only `*` is a scene break', () => {
    assert.deepEqual(longestDelimiterRun('a ' + '*'.repeat(300) + ' b'), { length: 300, char: '*', line: 1 });
    assert.equal(longestDelimiterRun('*'.repeat(300) + '\n' + '~'.repeat(300)).length, 0);
    assert.throws(
      () => toChapterHtml('**'.repeat(10_000) + 'x' + '**'.repeat(10_000), 'markdown'),
      /a run of 20,000 "\*" characters \(line 1\)/,
    );
    assert.equal(toChapterHtml('*'.repeat(300), 'markdown'), '<hr />');
  });
});

describe('Markdown emphasis', () => {
  test('an italic paragraph holding a hundred bold phrases is still italic', () => {
    const paragraph = '*' + 'word **bold** '.repeat(100) + 'end*';
    assert.ok(toChapterHtml(paragraph, 'markdown').startsWith('<p><em>word <strong>bold</strong>'));
  });
});

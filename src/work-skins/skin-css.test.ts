import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EXAMPLE_SKINS } from './example-skins.ts';
import { cleanSkinCss, isAllowedProperty, SKIN_SCOPE } from './skin-css.ts';

const reasons = (css: string) => cleanSkinCss(css).problems.map((p) => p.reason);

describe('cleanSkinCss: what is kept', () => {
  test('a plain rule is kept and scoped to the work text', () => {
    const { css, problems } = cleanSkinCss('.text { color: #336; font-weight: bold }');
    assert.deepEqual(problems, []);
    assert.equal(css, `${SKIN_SCOPE} .text {\n  color: #336;\n  font-weight: bold;\n}\n`);
  });

  test('#workskin written by the creator becomes the scope, not a second prefix', () => {
    const { css } = cleanSkinCss('#workskin .a { color: red } #workskin > p { margin: 0 } #workskin { padding: 1em }');
    assert.match(css, /^div#workskin \.a \{/m);
    assert.match(css, /^div#workskin > p \{/m);
    assert.match(css, /^div#workskin \{/m);
    assert.doesNotMatch(css, /#workskin #workskin/);
  });

  test('shorthands and their variants, vendor prefixes, !important, gradients and transforms are kept', () => {
    const { css, problems } = cleanSkinCss(
      '.a { border-top-left-radius: 4px; -webkit-border-radius: 3px; margin: 0 auto !important; ' +
        'background: linear-gradient(to right, #fff 0%, rgba(0, 0, 0, 0.5) 100%); transform: scale(1.2) rotate(3deg); ' +
        'font-family: "Courier New", monospace; content: "\\201C" }',
    );
    assert.deepEqual(problems, []);
    for (const piece of [
      'border-top-left-radius: 4px',
      '-webkit-border-radius: 3px',
      'margin: 0 auto !important',
      'linear-gradient',
      'scale(1.2)',
    ])
      assert.ok(css.includes(piece), piece);
  });

  test('@media keeps its query and scopes the rules inside', () => {
    const { css, problems } = cleanSkinCss('@media (max-width: 40em) { .a { float: none } }');
    assert.deepEqual(problems, []);
    assert.match(css, /@media \(max-width:40em\) \{\n {2}div#workskin \.a \{\n {4}float: none;/);
  });

  test('the shipped example skins are clean as they are', () => {
    for (const skin of EXAMPLE_SKINS) assert.deepEqual(cleanSkinCss(skin.css).problems, [], skin.key);
  });
});

describe('cleanSkinCss: what is refused, and why', () => {
  const cases: [string, RegExp][] = [
    ['@import url(https://evil.example/x.css);', /@import is not allowed/],
    ['@import "x.css";', /@import is not allowed/],
    ['@font-face { font-family: x; src: url(x.woff) }', /@font-face is not allowed/],
    ['@keyframes spin { from { color: red } }', /only @media/],
    ['.a { background: url(https://tracker.example/p.gif) }', /url\(\) is not allowed/],
    ['.a { background-image: url("data:image/png;base64,AAAA") }', /url\(\) is not allowed/],
    ['.a { position: fixed; top: 0 }', /position: fixed/],
    ['.a { POSITION: FIXED }', /position: fixed/],
    ['.a { width: expression(alert(1)) }', /Expressions/],
    ['.a { behavior: url(x.htc) }', /behavior is not allowed/],
    ['.a { -moz-binding: url(x.xml#y) }', /not allowed/],
    ['.a { --accent: red }', /Custom properties/],
    ['.a { color: var(--accent) }', /var\(\)/],
    ['.a { width: calc(100% - 1px) }', /calc\(\) is not allowed/],
    ['.a { content: attr(title) }', /attr\(\) is not allowed/],
    ['.a { color: "red" }', /does not take text in quotes/],
    ['.a { width: 3qq }', /unit "qq"/],
    ['.a { color: #12 }', /not a colour/],
    ['html .a { color: red }', /"html" is the page/],
    ['body { color: red }', /"body" is the page/],
    [':root { color: red }', /:root is the page/],
    ['.a:not(body) { color: red }', /"body" is the page/],
    ['~ .a { color: red }', /cannot start with "~"/],
    ['#workskin ~ .a { color: red }', /may only go down/],
    ['#workskin + .a { color: red }', /may only go down/],
    ['.a { .b { color: red } }', /nesting/],
    ['.a { u\\72 l: x }', /not a property name|not allowed/],
  ];
  for (const [css, reason] of cases) {
    test(`refuses ${css}`, () => {
      const result = cleanSkinCss(css);
      assert.ok(
        result.problems.some((p) => reason.test(p.reason)),
        `${css} → ${JSON.stringify(result.problems)}`,
      );
      assert.doesNotMatch(result.css, /url\(|fixed|expression|@import|var\(|:root|\bbody\b|\bhtml\b/i);
    });
  }

  test('one bad declaration leaves the rest of the rule', () => {
    const { css, problems } = cleanSkinCss('.a { color: red; position: fixed; margin: 1em }');
    assert.equal(problems.length, 1);
    assert.match(css, /color: red;\n {2}margin: 1em;/);
  });

  test('one bad selector leaves the others in the list', () => {
    const { css } = cleanSkinCss('body, .a { color: red }');
    assert.equal(css, `${SKIN_SCOPE} .a {\n  color: red;\n}\n`);
  });

  test('each problem names its line and the text left out', () => {
    const problems = cleanSkinCss('.a {\n  color: red;\n  position: fixed;\n}').problems;
    assert.deepEqual(problems, [{ line: 3, text: 'position: fixed', reason: problems[0]!.reason }]);
  });

  test('garbage yields no CSS and says why, without throwing', () => {
    for (const input of ['}}}{{{', '<script>alert(1)</script>', '\u0000\uffff', '/* open comment', '"unterminated']) {
      const result = cleanSkinCss(input);
      assert.equal(typeof result.css, 'string');
      assert.doesNotMatch(result.css, /script/);
    }
    assert.ok(reasons('<script>alert(1)</script>').length > 0);
  });
});

test('isAllowedProperty: families cover their variants, not look-alikes', () => {
  assert.ok(isAllowedProperty('border-bottom-left-radius'));
  assert.ok(isAllowedProperty('-moz-column-count'));
  assert.ok(isAllowedProperty('text-shadow'));
  assert.ok(!isAllowedProperty('borderline'));
  assert.ok(!isAllowedProperty('behavior'));
  assert.ok(!isAllowedProperty('cursor'));
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as csstree from 'css-tree';
import fc from 'fast-check';
import { cleanSkinCss, isAllowedProperty, SKIN_CONTAINER_ID } from './skin-css.ts';

// Pieces CSS is made of, good and hostile, so that arbitrary combinations reach the cleaner's
// every branch (plain random strings rarely form a rule at all).
const selectorPart = fc.constantFrom(
  '.a',
  'p',
  '#workskin',
  'html',
  'body',
  ':root',
  '*',
  '.b:hover',
  '::before',
  '[title]',
  'a[href^="x"]',
  ':not(body)',
  '&',
  '\\62 ody',
  '.x\\:y',
);
const combinator = fc.constantFrom(' ', ' > ', ' + ', ' ~ ', ', ', '');
const selector = fc
  .array(fc.tuple(combinator, selectorPart), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.map(([c, s]) => c + s).join(''));
const property = fc.constantFrom(
  'color',
  'position',
  'background',
  'background-image',
  'behavior',
  '-moz-binding',
  '--x',
  'border-left-color',
  'font-family',
  'content',
  'cursor',
  'POSITION',
  'u\\72 l',
  'transform',
);
const value = fc.constantFrom(
  'red',
  'fixed',
  'url(x.png)',
  'url("javascript:alert(1)")',
  'expression(alert(1))',
  'var(--x)',
  '"Georgia", serif',
  '1em 2px',
  '#fff',
  'rgb(1, 2, 3)',
  'calc(1px + 1px)',
  'scale(2)',
  '\\75 rl(x)',
  '}',
  '{',
  ';',
  '"',
  '/*',
  '@import "x"',
);
const declaration = fc.tuple(property, value, fc.boolean()).map(([p, v, important]) => `${p}: ${v}${important ? ' !important' : ''}`);
const rule = fc.tuple(selector, fc.array(declaration, { maxLength: 4 })).map(([s, ds]) => `${s} { ${ds.join('; ')} }`);
const atRule = fc.constantFrom(
  '@import url(x.css);',
  '@font-face { font-family: x; src: url(x) }',
  '@media (max-width: 40em) {',
  '@media print { p { color: red } }',
  '@namespace x url(y);',
  '}',
);
const stylesheet = fc.oneof(
  fc.array(fc.oneof(rule, atRule, fc.string({ maxLength: 20 })), { maxLength: 8 }).map((parts) => parts.join('\n')),
  fc.string({ maxLength: 300 }),
);

/** Checks what the cleaner wrote: it parses, and holds only allowed properties and scoped selectors. */
function assertSafe(css: string): void {
  let parseError: string | undefined;
  const ast = csstree.parse(css, {
    onParseError: (e) => {
      parseError = e.message;
    },
  });
  assert.equal(parseError, undefined, `output does not parse again:\n${css}`);
  csstree.walk(ast, (node) => {
    switch (node.type) {
      case 'Atrule':
        assert.equal(node.name, 'media', css);
        break;
      case 'Url':
        assert.fail(`url() in output:\n${css}`);
        break;
      case 'Declaration': {
        assert.ok(isAllowedProperty(node.property.toLowerCase()), `property ${node.property} in output`);
        assert.ok(!(node.property === 'position' && csstree.generate(node.value).includes('fixed')), 'position: fixed in output');
        break;
      }
      case 'Function':
        assert.ok(!['url', 'var', 'expression', 'attr', 'calc'].includes(node.name.toLowerCase()), `${node.name}() in output`);
        break;
      case 'Raw':
        assert.fail(`unparsed text in output: ${node.value}`);
        break;
      case 'Selector': {
        const first = node.children.first;
        const second = node.children.toArray()[1];
        assert.ok(first?.type === 'TypeSelector' && first.name === 'div', `selector not scoped: ${csstree.generate(node)}`);
        assert.ok(second?.type === 'IdSelector' && second.name === SKIN_CONTAINER_ID, `selector not scoped: ${csstree.generate(node)}`);
        const third = node.children.toArray()[2];
        assert.ok(third === undefined || (third.type === 'Combinator' && (third.name === ' ' || third.name === '>')), 'leaves the scope');
        break;
      }
      case 'TypeSelector':
        assert.ok(!['html', 'body'].includes(node.name.toLowerCase()), `${node.name} in output`);
        break;
      case 'PseudoClassSelector':
        assert.notEqual(node.name.toLowerCase(), 'root');
        break;
    }
  });
}

test('for any CSS, the cleaned skin parses again and holds only allowed properties in scoped selectors', () => {
  let kept = 0;
  fc.assert(
    fc.property(stylesheet, (input) => {
      const { css } = cleanSkinCss(input);
      if (css !== '') kept++;
      assertSafe(css);
    }),
    { numRuns: 1500 },
  );
  // The generator must reach the writing side too, not only refusals.
  assert.ok(kept > 20, `only ${kept} inputs kept anything`);
});

test('cleaning is stable: a cleaned skin cleans to itself with nothing dropped', () => {
  fc.assert(
    fc.property(stylesheet, (input) => {
      const once = cleanSkinCss(input).css;
      const twice = cleanSkinCss(once);
      assert.deepEqual(twice.problems, [], `${once}\n${JSON.stringify(twice.problems)}`);
      assert.equal(twice.css, once);
    }),
    { numRuns: 500 },
  );
});

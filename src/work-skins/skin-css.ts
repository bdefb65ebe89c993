// A work skin's CSS, cleaned: parsed by css-tree, every rule checked against the allowlist
// (skin-allowlist.ts), every selector scoped to the work's text, and written out again from the
// parsed tree, so nothing the parser did not understand reaches a reader's browser. A leaf: it
// imports nothing of the app, so the worker pool can run it.
import * as csstree from 'css-tree';
import {
  DOCUMENT_ELEMENTS,
  DOCUMENT_PSEUDO_CLASSES,
  FUNCTIONS,
  PROPERTIES,
  PROPERTY_FAMILIES,
  STRING_PROPERTIES,
  UNITS,
  VENDOR_PREFIX,
} from './skin-allowlist.ts';
import { SKIN_CONTAINER_ID, SKIN_SCOPE, type CleanedSkin, type SkinProblem } from './skin-contract.ts';

export { MAX_SKIN_BYTES, SKIN_CONTAINER_ID, SKIN_SCOPE, type CleanedSkin, type SkinProblem } from './skin-contract.ts';

type Rejection = { reason: string };

const KEYWORD = /^-?[a-z][a-z0-9-]*$/i;
const HEX_COLOUR = /^(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
const SIMPLE_NAME = /^-?[_a-z][_a-z0-9-]*$/i;

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}…` : oneLine;
}

/** Cleans a work skin. Never throws on any input string (the caller caps its size). */
export function cleanSkinCss(source: string): CleanedSkin {
  const problems: SkinProblem[] = [];
  const slice = (node: csstree.CssNode) =>
    node.loc ? shorten(source.slice(node.loc.start.offset, node.loc.end.offset)) : shorten(csstree.generate(node));
  const drop = (node: csstree.CssNode, reason: string) => problems.push({ line: node.loc?.start.line ?? null, text: slice(node), reason });

  let ast: csstree.CssNode;
  try {
    ast = csstree.parse(source, { positions: true, parseCustomProperty: false });
  } catch {
    return { css: '', problems: [{ line: null, text: shorten(source), reason: 'The CSS could not be read at all.' }] };
  }
  const out: string[] = [];
  if (ast.type === 'StyleSheet') {
    ast.children.forEach((node) => {
      const written = cleanTopLevel(node, drop);
      if (written) out.push(written);
    });
  }
  return { css: out.length > 0 ? `${out.join('\n\n')}\n` : '', problems };
}

type Drop = (node: csstree.CssNode, reason: string) => void;

function cleanTopLevel(node: csstree.CssNode, drop: Drop): string | null {
  if (node.type === 'Rule') return cleanRule(node, drop, '');
  if (node.type === 'Atrule') {
    const name = node.name.toLowerCase();
    if (name !== 'media') {
      drop(node, atRuleReason(name));
      return null;
    }
    return cleanMedia(node, drop);
  }
  if (node.type === 'Raw' && node.value.trim() === '') return null;
  drop(node, 'This is not a CSS rule (a selector followed by declarations in braces), so it could not be read.');
  return null;
}

function atRuleReason(name: string): string {
  switch (name) {
    case 'import':
      return '@import is not allowed: a work skin cannot load other stylesheets.';
    case 'font-face':
      return '@font-face is not allowed: name fonts readers have installed in font-family, with fallbacks.';
    case 'charset':
    case 'namespace':
      return `@${name} is not needed in a work skin and is left out.`;
    default:
      return `@${name} is not allowed in work skins; only @media is.`;
  }
}

function cleanMedia(node: csstree.Atrule, drop: Drop): string | null {
  if (node.prelude?.type !== 'AtrulePrelude' || !isPlainMediaQuery(node.prelude)) {
    drop(node, '@media rules may only test the screen (sizes, orientation, print): this one could not be read or uses something else.');
    return null;
  }
  if (!node.block) return null;
  const inner: string[] = [];
  node.block.children.forEach((child) => {
    if (child.type === 'Rule') {
      const written = cleanRule(child, drop, '  ');
      if (written) inner.push(written);
    } else if (child.type === 'Atrule') {
      drop(child, `@${child.name} inside @media is not allowed.`);
    } else if (!(child.type === 'Raw' && child.value.trim() === '')) {
      drop(child, 'This is not a CSS rule, so it could not be read.');
    }
  });
  if (inner.length === 0) return null;
  return `@media ${csstree.generate(node.prelude)} {\n${inner.join('\n\n')}\n}`;
}

function isPlainMediaQuery(prelude: csstree.CssNode): boolean {
  let plain = true;
  csstree.walk(prelude, (n) => {
    switch (n.type) {
      case 'AtrulePrelude':
      case 'MediaQueryList':
      case 'MediaQuery':
      case 'Condition':
      case 'Feature':
      case 'FeatureRange':
      case 'Number':
      case 'Ratio':
        return;
      case 'Identifier':
        if (!KEYWORD.test(n.name)) plain = false;
        return;
      case 'Dimension':
        if (!UNITS.has(n.unit.toLowerCase())) plain = false;
        return;
      default:
        plain = false;
    }
  });
  return plain;
}

function cleanRule(rule: csstree.Rule, drop: Drop, indent: string): string | null {
  if (rule.prelude.type !== 'SelectorList') {
    drop(rule, 'The selector could not be read.');
    return null;
  }
  const selectors: string[] = [];
  rule.prelude.children.forEach((selector) => {
    if (selector.type !== 'Selector') {
      drop(selector, 'The selector could not be read.');
      return;
    }
    const scoped = scopeSelector(selector);
    if ('reason' in scoped) drop(selector, scoped.reason);
    else selectors.push(scoped.text);
  });
  if (selectors.length === 0) return null;
  const declarations: string[] = [];
  rule.block.children.forEach((child) => {
    if (child.type === 'Declaration') {
      const written = cleanDeclaration(child);
      if ('reason' in written) drop(child, written.reason);
      else declarations.push(`${indent}  ${written.text};`);
    } else if (child.type === 'Rule' || (child.type === 'Raw' && child.value.includes('{'))) {
      drop(child, 'Rules inside rules (CSS nesting) are not allowed: write each rule on its own.');
    } else if (child.type === 'Atrule') {
      drop(child, `@${child.name} inside a rule is not allowed.`);
    } else if (!(child.type === 'Raw' && /^[\s;]*$/.test(child.value))) {
      drop(child, 'This declaration could not be read: write it as property: value;');
    }
  });
  if (declarations.length === 0) return null;
  return `${indent}${selectors.join(`,\n${indent}`)} {\n${declarations.join('\n')}\n${indent}}`;
}

/** The selector inside the skin's container, or why it cannot be. */
function scopeSelector(selector: csstree.Selector): { text: string } | Rejection {
  const all = selector.children.toArray();
  // "div#workskin", as the cleaner writes it, is the container too: cleaning twice changes nothing.
  const writtenScope =
    all[0]?.type === 'TypeSelector' && all[0].name === 'div' && all[1]?.type === 'IdSelector' && all[1].name === SKIN_CONTAINER_ID;
  const parts = writtenScope ? all.slice(1) : all;
  if (parts.length === 0) return { reason: 'The selector is empty.' };
  const problem = selectorProblem(selector);
  if (problem) return { reason: problem };
  const first = parts[0]!;
  if (first.type === 'Combinator') {
    return { reason: `A selector cannot start with "${first.name}": it would reach outside the work's text.` };
  }
  // "#workskin" written by the creator (as on AO3) is the container itself.
  if (first.type === 'IdSelector' && first.name === SKIN_CONTAINER_ID) {
    const next = parts[1];
    if (next === undefined) return { text: SKIN_SCOPE };
    if (next.type !== 'Combinator' || (next.name !== ' ' && next.name !== '>')) {
      return {
        reason: `After #${SKIN_CONTAINER_ID} a selector may only go down into the text (a space or ">"), not to its neighbours or the container's other names.`,
      };
    }
    const rest = parts.slice(2);
    if (rest.length === 0) return { reason: 'The selector ends in a combinator.' };
    const written = csstree.generate({ type: 'Selector', children: new csstree.List<csstree.CssNode>().fromArray(rest) });
    return { text: `${SKIN_SCOPE}${next.name === '>' ? ' > ' : ' '}${written}` };
  }
  return { text: `${SKIN_SCOPE} ${csstree.generate(selector)}` };
}

function selectorProblem(selector: csstree.Selector): string | null {
  let problem: string | null = null;
  csstree.walk(selector, (n) => {
    if (problem) return;
    switch (n.type) {
      case 'TypeSelector':
        if (DOCUMENT_ELEMENTS.has(n.name.toLowerCase()))
          problem = `"${n.name}" is the page, not the work: start the selector at the work's text.`;
        else if (n.name !== '*' && !SIMPLE_NAME.test(n.name)) problem = `The element name "${shorten(n.name)}" is not allowed.`;
        return;
      case 'PseudoClassSelector':
        if (DOCUMENT_PSEUDO_CLASSES.has(n.name.toLowerCase()))
          problem = `:${n.name} is the page, not the work: start the selector at the work's text.`;
        else if (!SIMPLE_NAME.test(n.name)) problem = `The pseudo-class ":${shorten(n.name)}" is not allowed.`;
        return;
      case 'PseudoElementSelector':
      case 'ClassSelector':
      case 'IdSelector':
        if (!SIMPLE_NAME.test(n.name)) problem = `The name "${shorten(n.name)}" is not allowed: use letters, digits, "-" and "_".`;
        return;
      case 'NestingSelector':
        problem = 'The nesting selector "&" is not allowed.';
        return;
      case 'Raw':
        problem = 'Part of the selector could not be read.';
        return;
      case 'AttributeSelector':
        if (!SIMPLE_NAME.test(n.name.name)) problem = 'The attribute name is not allowed.';
        return;
      default:
        return;
    }
  });
  return problem;
}

/** Whether a property (lower case) is on the allowlist, vendor prefixes set aside. */
export function isAllowedProperty(property: string): boolean {
  const name = property.replace(VENDOR_PREFIX, '');
  if (PROPERTIES.has(name)) return true;
  return PROPERTY_FAMILIES.some((family) => name === family || name.startsWith(`${family}-`));
}

function cleanDeclaration(d: csstree.Declaration): { text: string } | Rejection {
  const property = d.property.toLowerCase();
  if (property.startsWith('--')) return { reason: 'Custom properties (--name) and var() are not available in work skins.' };
  if (!KEYWORD.test(property)) return { reason: `"${shorten(d.property)}" is not a property name.` };
  if (!isAllowedProperty(property)) return { reason: `The property ${property} is not allowed in work skins.` };
  if (d.value.type !== 'Value') return { reason: `The value of ${property} could not be read.` };
  const valueProblem = findValueProblem(d.value, property);
  if (valueProblem) return { reason: valueProblem };
  if (d.value.children.isEmpty) return { reason: `${property} has no value.` };
  if (property === 'position') {
    const fixed = d.value.children.some((n) => n.type === 'Identifier' && n.name.toLowerCase() === 'fixed');
    if (fixed) return { reason: 'position: fixed is not allowed: it could cover the page outside the work.' };
  }
  const important = d.important === false ? '' : ' !important';
  return { text: `${property}: ${csstree.generate(d.value)}${important}` };
}

function findValueProblem(value: csstree.Value, property: string): string | null {
  let problem: string | null = null;
  csstree.walk(value, {
    enter(n: csstree.CssNode) {
      if (problem) return csstree.walk.skip;
      switch (n.type) {
        case 'Value':
        case 'Number':
        case 'Percentage':
        case 'Operator':
          return undefined;
        case 'Identifier': {
          const name = n.name.toLowerCase();
          if (!KEYWORD.test(n.name)) problem = `"${shorten(n.name)}" is not a keyword ${property} takes.`;
          else if (name === 'expression' || name.startsWith('javascript')) problem = 'Expressions and scripts are not allowed.';
          return undefined;
        }
        case 'Dimension':
          if (!UNITS.has(n.unit.toLowerCase()))
            problem = `The unit "${shorten(n.unit)}" is not allowed; use em, rem, px, pt, % and the like.`;
          return undefined;
        case 'Hash':
          if (!HEX_COLOUR.test(n.value)) problem = `#${shorten(n.value)} is not a colour: use 3, 4, 6 or 8 hex digits.`;
          return undefined;
        case 'String':
          if (!STRING_PROPERTIES.has(property.replace(VENDOR_PREFIX, ''))) problem = `${property} does not take text in quotes.`;
          return undefined;
        case 'Url':
          problem = 'url() is not allowed: a work skin cannot load images or other files.';
          return undefined;
        case 'Function': {
          const name = n.name.toLowerCase();
          if (name === 'url') problem = 'url() is not allowed: a work skin cannot load images or other files.';
          else if (name === 'var') problem = 'var() is not available in work skins.';
          else if (name === 'expression') problem = 'Expressions are not allowed.';
          else if (!FUNCTIONS.has(name.replace(VENDOR_PREFIX, ''))) problem = `The function ${shorten(n.name)}() is not allowed here.`;
          return undefined;
        }
        default:
          problem = `Part of the value of ${property} is not allowed or could not be read.`;
          return undefined;
      }
    },
  });
  return problem;
}

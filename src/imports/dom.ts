// Small helpers over the parsed tree (src/downloads/epub/xhtml.ts) for reading imported files.
import { escapeXml, parseFragment, type ElementNode, type Node } from '../downloads/epub/index.ts';
import { MAX_NESTING, measureHtmlNesting } from '../works/text/limits.ts';
import { ImportError } from './imported-work.ts';

export type { ElementNode, Node };

/**
 * Parses an imported file's HTML (or, with xml, an XML document) after checking that it nests at
 * most MAX_NESTING deep: the helpers below recurse once per level, and the parser's own stack
 * handling is quadratic in the depth. `where` names the part of the file, for the message.
 */
export function parseMarkup(text: string, options: { xml?: boolean; where?: string } = {}): Node[] {
  const xml = options.xml ?? false;
  // Both modes recognise `<x/>` as closing, as parseFragment's parser does.
  const depth = measureHtmlNesting(text, { xml, recognizeSelfClosing: true });
  if (depth > MAX_NESTING) {
    const where = options.where ? ` (in ${options.where})` : '';
    throw new ImportError(
      `This file nests its markup ${depth.toLocaleString('en')} levels deep${where}; the archive accepts at most ${MAX_NESTING}. ` +
        'Remove the extra nesting (or export the file again from the app it came from) and try again.',
    );
  }
  return parseFragment(text, { xml });
}

/** The local name of an element (`dc:title` → `title`). */
export function localName(node: ElementNode): string {
  return node.name.slice(node.name.indexOf(':') + 1).toLowerCase();
}

export function elements(nodes: readonly Node[]): ElementNode[] {
  return nodes.filter((n): n is ElementNode => n.type === 'element');
}

/** Every element below the nodes, depth first, that matches. */
export function findAll(nodes: readonly Node[], match: (node: ElementNode) => boolean): ElementNode[] {
  const found: ElementNode[] = [];
  const walk = (list: readonly Node[]) => {
    for (const n of list) {
      if (n.type !== 'element') continue;
      if (match(n)) found.push(n);
      walk(n.children);
    }
  };
  walk(nodes);
  return found;
}

export function findFirst(nodes: readonly Node[], match: (node: ElementNode) => boolean): ElementNode | undefined {
  return findAll(nodes, match)[0];
}

export function hasClass(node: ElementNode, cls: string): boolean {
  return (node.attribs.class ?? '').split(/\s+/).includes(cls);
}

/** The text of nodes, whitespace collapsed. */
export function textOf(nodes: readonly Node[] | ElementNode): string {
  const list = Array.isArray(nodes) ? nodes : [nodes as ElementNode];
  let out = '';
  const walk = (l: readonly Node[]) => {
    for (const n of l) {
      if (n.type === 'text') out += n.text;
      else walk(n.children);
    }
  };
  walk(list);
  return out.replace(/\s+/g, ' ').trim();
}

const VOID = new Set(['br', 'hr', 'img', 'col', 'wbr']);

/** Serializes nodes back to HTML (the sanitizer decides later what survives). */
export function toHtml(nodes: readonly Node[]): string {
  let out = '';
  for (const n of nodes) {
    if (n.type === 'text') {
      out += escapeXml(n.text)
        .replace(/&#39;/g, "'")
        .replace(/&quot;/g, '"');
      continue;
    }
    const name = n.name.replace(/^.*:/, '');
    const attrs = Object.entries(n.attribs)
      .filter(([k]) => /^[a-z][a-z0-9-]*$/i.test(k))
      .map(([k, v]) => ` ${k}="${escapeXml(v ?? '')}"`)
      .join('');
    out += VOID.has(name) ? `<${name}${attrs}>` : `<${name}${attrs}>${toHtml(n.children)}</${name}>`;
  }
  return out;
}

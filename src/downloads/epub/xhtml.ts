// Sanitized HTML5 (as the archive stores it) to XHTML an EPUB reading system accepts: parsed
// with htmlparser2 (sanitize-html's parser) and re-serialized, so void elements close, entities
// become characters, and elements HTML5 made obsolete become their modern equivalents.
// A leaf: imports only htmlparser2.
import { Parser } from 'htmlparser2';

interface ElementNode {
  type: 'element';
  name: string;
  attribs: Record<string, string>;
  children: Node[];
}
interface TextNode {
  type: 'text';
  text: string;
}
type Node = ElementNode | TextNode;

const VOID = new Set(['br', 'hr', 'img', 'col', 'wbr']);
// Characters XML 1.0 forbids (and the non-characters U+FFFE/U+FFFF).
// eslint-disable-next-line no-control-regex
const XML_INVALID =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(XML_INVALID, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export type { ElementNode, Node, TextNode };

/** Parses an HTML fragment (or, with xml, an XML document) into a small tree, entities decoded. */
export function parseFragment(html: string, options: { xml?: boolean } = {}): Node[] {
  const xml = options.xml ?? false;
  const root: ElementNode = { type: 'element', name: '#root', attribs: {}, children: [] };
  const stack: ElementNode[] = [root];
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const node: ElementNode = { type: 'element', name: xml ? name : name.toLowerCase(), attribs, children: [] };
        stack[stack.length - 1]!.children.push(node);
        if (xml || !VOID.has(node.name)) stack.push(node);
      },
      onclosetag(name) {
        if (!xml && VOID.has(name.toLowerCase())) return;
        if (stack.length > 1) stack.pop();
      },
      ontext(text) {
        const parent = stack[stack.length - 1]!;
        const last = parent.children[parent.children.length - 1];
        if (last?.type === 'text') last.text += text;
        else parent.children.push({ type: 'text', text });
      },
    },
    xml
      ? { xmlMode: true, decodeEntities: true }
      : { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  return root.children;
}

export interface XhtmlOptions {
  /** Base for relative links (the archive's URL); links stay absolute in a book. */
  baseUrl: string;
  /** Prefix for ids, so that ids stay unique when several fragments share one document. */
  idPrefix?: string;
}

const OBSOLETE_INLINE: Record<string, { name: string; cls?: string }> = {
  big: { name: 'span', cls: 'big' },
  tt: { name: 'code' },
  strike: { name: 's' },
  acronym: { name: 'abbr' },
  font: { name: 'span' },
};
const ALIGNABLE = new Set(['p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'td', 'th', 'span']);
const BOOLEAN = new Set(['open', 'reversed']);
const ID = /^[A-Za-z_][\w.-]*$/;

function collectIds(nodes: Node[], into: Set<string>): void {
  for (const n of nodes) {
    if (n.type !== 'element') continue;
    for (const key of ['id', 'name']) {
      const v = n.attribs[key];
      if (v) into.add(v.replace(/:/g, '_'));
    }
    collectIds(n.children, into);
  }
}

/**
 * What a book shows in place of a player (an iframe, embed, audio or video from an embed host):
 * a link to the media, labelled with its kind, title and host. Books play nothing, and a reading
 * system that fetched players would tell their hosts who reads what.
 */
export function embedLink(node: ElementNode): { href: string; label: string } | null {
  const kind =
    node.name === 'audio' ? 'Audio' : node.name === 'video' ? 'Video' : node.name === 'iframe' || node.name === 'embed' ? 'Player' : null;
  if (kind === null) return null;
  const source = node.children.find((c): c is ElementNode => c.type === 'element' && c.name === 'source' && Boolean(c.attribs.src));
  const href = node.attribs.src || source?.attribs.src;
  if (!href || !/^https:\/\//.test(href)) return null;
  let host = '';
  try {
    host = new URL(href).hostname;
  } catch {
    return null;
  }
  const title = node.attribs.title?.trim();
  return { href, label: `[${kind}${title ? `: ${title}` : ''} (${host})]` };
}

/** HTML4 presentation attributes HTML5 dropped, as the CSS they stood for. */
function presentationStyle(name: string, key: string, value: string): string | null {
  const size = /^\d{1,5}%$/.test(value) ? value : /^\d{1,5}$/.test(value) ? `${value}px` : null;
  if ((key === 'width' || key === 'height') && name !== 'img') return size === null ? null : `${key}: ${size}`;
  if (key === 'border' && /^\d{1,2}$/.test(value)) return `border: ${value}px solid`;
  if (key === 'type' && name === 'ul' && /^(?:disc|circle|square)$/.test(value)) return `list-style-type: ${value}`;
  return null;
}

function absoluteUrl(href: string, base: string): string | null {
  try {
    return new URL(href, base + '/').href;
  } catch {
    return null;
  }
}

/** Converts one fragment of sanitized HTML5 to well-formed XHTML body content. */
export function toXhtml(html: string, options: XhtmlOptions): string {
  const nodes = parseFragment(html);
  const prefix = options.idPrefix ?? '';
  const known = new Set<string>();
  collectIds(nodes, known);
  const used = new Set<string>();
  let out = '';

  const attr = (name: string, value: string) => ` ${name}="${escapeXml(value)}"`;

  const walk = (list: Node[]): void => {
    for (const node of list) {
      if (node.type === 'text') {
        out += escapeXml(node.text);
        continue;
      }
      let name = node.name;
      const a = node.attribs;
      let attrs = '';
      const styles: string[] = [];
      const classes: string[] = [];

      if (name === 'img') {
        // EPUB forbids remote images; the reader gets the description and a link to the picture.
        const src = a.src ? absoluteUrl(a.src, options.baseUrl) : null;
        const label = `[Image${a.alt ? `: ${a.alt}` : ''}]`;
        out += src ? `<a href="${escapeXml(src)}">${escapeXml(label)}</a>` : escapeXml(label);
        continue;
      }
      if (name === 'source' || name === 'track') continue;
      const player = embedLink(node);
      if (player !== null || ['iframe', 'embed', 'audio', 'video'].includes(name)) {
        if (player !== null) out += `<a href="${escapeXml(player.href)}">${escapeXml(player.label)}</a>`;
        continue;
      }
      if (name === 'center') {
        name = 'div';
        styles.push('text-align: center');
      }
      const mapped = OBSOLETE_INLINE[name];
      if (mapped) {
        name = mapped.name;
        if (mapped.cls) classes.push(mapped.cls);
      }
      for (const [key, raw] of Object.entries(a)) {
        const value = raw ?? '';
        switch (key) {
          case 'id':
          case 'name': {
            const id = value.replace(/:/g, '_');
            if (!ID.test(id) || used.has(id)) break;
            used.add(id);
            attrs += attr('id', prefix + id);
            break;
          }
          case 'href': {
            if (value.startsWith('#')) {
              const target = value.slice(1).replace(/:/g, '_');
              if (known.has(target)) attrs += attr('href', `#${prefix}${target}`);
            } else if (/^mailto:/i.test(value)) {
              attrs += attr('href', value);
            } else {
              const url = absoluteUrl(value, options.baseUrl);
              if (url && /^https?:/.test(url)) attrs += attr('href', url);
            }
            break;
          }
          case 'align':
            if (ALIGNABLE.has(name)) styles.push(`text-align: ${value}`);
            break;
          case 'style':
            if (value.trim()) styles.push(value.trim().replace(/;$/, ''));
            break;
          case 'summary':
          case 'rel':
          case 'axis':
          case 'abbr':
            break;
          case 'class':
            for (const c of value.split(/\s+/)) if (/^[A-Za-z][\w-]*$/.test(c) && !classes.includes(c)) classes.push(c);
            break;
          case 'width':
          case 'height':
          case 'border': {
            const style = presentationStyle(name, key, value);
            if (style !== null) styles.push(style);
            else if (name === 'img') attrs += attr(key, value);
            break;
          }
          case 'span':
            // A column group either spans columns or lists them, never both.
            if (!(name === 'colgroup' && node.children.some((c) => c.type === 'element'))) attrs += attr(key, value);
            break;
          case 'scope':
            if (name === 'th') attrs += attr(key, value);
            break;
          case 'type': {
            if (name === 'ol') attrs += attr(key, value);
            const style = presentationStyle(name, key, value);
            if (style !== null) styles.push(style);
            break;
          }
          default:
            if (BOOLEAN.has(key)) attrs += attr(key, key);
            else if (/^[a-z][a-z0-9-]*$/.test(key)) attrs += attr(key, value);
        }
      }
      if (classes.length) attrs += attr('class', classes.join(' '));
      if (styles.length) attrs += attr('style', styles.join('; '));
      if (VOID.has(name)) {
        out += `<${name}${attrs}/>`;
        continue;
      }
      out += `<${name}${attrs}>`;
      walk(node.children);
      out += `</${name}>`;
    }
  };
  walk(nodes);
  return out;
}

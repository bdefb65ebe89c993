// Atom 1.0 (RFC 4287) documents from plain data; OPDS catalogues are Atom too. A leaf.
import { escapeXml as x } from '../downloads/epub/xhtml.ts';

export interface AtomLink {
  rel: string;
  href: string;
  type?: string;
  title?: string;
  /** OPDS facet and price attributes and the like, already namespaced. */
  extra?: Record<string, string>;
}

export interface AtomPerson {
  name: string;
  uri?: string;
}

export interface AtomEntry {
  id: string;
  title: string;
  updated: Date;
  published?: Date | null;
  authors?: AtomPerson[];
  links: AtomLink[];
  /** HTML, sent escaped as type="html". */
  summaryHtml?: string;
  contentHtml?: string;
  /** Plain text content (OPDS navigation entries). */
  contentText?: string;
  categories?: Array<{ term: string; label?: string; scheme?: string }>;
  /** Further elements, already serialized (dc:language, dcterms:issued...). */
  extraXml?: string;
}

export interface AtomFeed {
  id: string;
  title: string;
  subtitle?: string;
  updated: Date;
  /** Used to resolve relative links in entry HTML. */
  base: string;
  language?: string;
  links: AtomLink[];
  authors?: AtomPerson[];
  generator: string;
  entries: AtomEntry[];
  /** Namespace declarations beyond Atom's, e.g. { 'xmlns:dc': 'http://purl.org/dc/terms/' }. */
  namespaces?: Record<string, string>;
  extraXml?: string;
}

export const ATOM_TYPE = 'application/atom+xml; charset=utf-8';

/** RFC 3339 in UTC without milliseconds. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function link(l: AtomLink): string {
  const extra = Object.entries(l.extra ?? {})
    .map(([k, v]) => ` ${k}="${x(v)}"`)
    .join('');
  return `<link rel="${x(l.rel)}" href="${x(l.href)}"${l.type ? ` type="${x(l.type)}"` : ''}${l.title ? ` title="${x(l.title)}"` : ''}${extra}/>`;
}

function person(tag: string, p: AtomPerson): string {
  return `<${tag}><name>${x(p.name)}</name>${p.uri ? `<uri>${x(p.uri)}</uri>` : ''}</${tag}>`;
}

/** Serializes a feed; every text and attribute is escaped, HTML travels as escaped text. */
export function renderAtom(feed: AtomFeed): string {
  const ns = Object.entries(feed.namespaces ?? {})
    .map(([k, v]) => ` ${k}="${x(v)}"`)
    .join('');
  const entries = feed.entries.map((e) => {
    const parts = [
      `<id>${x(e.id)}</id>`,
      `<title>${x(e.title)}</title>`,
      `<updated>${rfc3339(e.updated)}</updated>`,
      e.published ? `<published>${rfc3339(e.published)}</published>` : '',
      ...(e.authors ?? []).map((a) => person('author', a)),
      ...e.links.map(link),
      ...(e.categories ?? []).map(
        (c) => `<category term="${x(c.term)}"${c.label ? ` label="${x(c.label)}"` : ''}${c.scheme ? ` scheme="${x(c.scheme)}"` : ''}/>`,
      ),
      e.summaryHtml !== undefined ? `<summary type="html">${x(e.summaryHtml)}</summary>` : '',
      e.contentHtml !== undefined
        ? `<content type="html">${x(e.contentHtml)}</content>`
        : e.contentText !== undefined
          ? `<content type="text">${x(e.contentText)}</content>`
          : '',
      e.extraXml ?? '',
    ];
    return `<entry>\n${parts.filter(Boolean).join('\n')}\n</entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"${ns} xml:base="${x(feed.base)}/"${feed.language ? ` xml:lang="${x(feed.language)}"` : ''}>
<id>${x(feed.id)}</id>
<title>${x(feed.title)}</title>
${feed.subtitle ? `<subtitle>${x(feed.subtitle)}</subtitle>\n` : ''}<updated>${rfc3339(feed.updated)}</updated>
${(feed.authors ?? [{ name: feed.generator }]).map((a) => person('author', a)).join('\n')}
<generator>${x(feed.generator)}</generator>
${feed.links.map(link).join('\n')}
${feed.extraXml ?? ''}${entries.join('\n')}
</feed>
`;
}

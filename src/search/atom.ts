// A self-contained Atom 1.0 writer for saved-search feeds: every text escaped for XML.

export interface AtomEntry {
  id: string;
  title: string;
  href: string;
  updated: Date;
  published: Date | null;
  authors: string[];
  /** Plain text (escaped here). */
  summary: string;
  categories: string[];
}

export interface AtomFeed {
  id: string;
  title: string;
  selfHref: string;
  alternateHref: string;
  updated: Date;
  entries: AtomEntry[];
}

// Characters XML 1.0 forbids, even escaped.
const INVALID_XML = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** Escapes text for XML content or a double-quoted attribute, dropping characters XML cannot hold. */
export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** The feed as an Atom 1.0 document. */
export function renderAtomFeed(feed: AtomFeed): string {
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${escapeXml(feed.id)}</id>`,
    `  <title>${escapeXml(feed.title)}</title>`,
    `  <updated>${feed.updated.toISOString()}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(feed.selfHref)}"/>`,
    `  <link rel="alternate" type="text/html" href="${escapeXml(feed.alternateHref)}"/>`,
    // A feed without per-entry authors must name one; entries always name theirs.
    '  <author><name>Fanfold</name></author>',
  ];
  for (const e of feed.entries) {
    lines.push('  <entry>');
    lines.push(`    <id>${escapeXml(e.id)}</id>`);
    lines.push(`    <title>${escapeXml(e.title)}</title>`);
    lines.push(`    <link rel="alternate" type="text/html" href="${escapeXml(e.href)}"/>`);
    lines.push(`    <updated>${e.updated.toISOString()}</updated>`);
    if (e.published) lines.push(`    <published>${e.published.toISOString()}</published>`);
    for (const a of e.authors.length > 0 ? e.authors : ['Anonymous']) lines.push(`    <author><name>${escapeXml(a)}</name></author>`);
    for (const c of e.categories) lines.push(`    <category term="${escapeXml(c)}"/>`);
    lines.push(`    <summary type="text">${escapeXml(e.summary)}</summary>`);
    lines.push('  </entry>');
  }
  lines.push('</feed>');
  return lines.join('\n') + '\n';
}

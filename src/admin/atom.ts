/** One entry of an Atom feed. */
export interface AtomEntry {
  id: string;
  title: string;
  url: string;
  updated: Date;
  author: string;
  /** Sanitized HTML, placed as escaped text in a type="html" content element. */
  html: string;
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** An Atom 1.0 document (RFC 4287). */
export function buildAtomFeed(feed: {
  id: string;
  title: string;
  selfUrl: string;
  siteUrl: string;
  updated: Date;
  entries: AtomEntry[];
}): string {
  const entries = feed.entries
    .map(
      (e) => `  <entry>
    <id>${xml(e.id)}</id>
    <title>${xml(e.title)}</title>
    <link rel="alternate" type="text/html" href="${xml(e.url)}"/>
    <updated>${e.updated.toISOString()}</updated>
    <author><name>${xml(e.author)}</name></author>
    <content type="html">${xml(e.html)}</content>
  </entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${xml(feed.id)}</id>
  <title>${xml(feed.title)}</title>
  <link rel="self" type="application/atom+xml" href="${xml(feed.selfUrl)}"/>
  <link rel="alternate" type="text/html" href="${xml(feed.siteUrl)}"/>
  <updated>${feed.updated.toISOString()}</updated>
${entries}
</feed>
`;
}

import type { TagRow, TagType } from '../db/schema.ts';
import { TAG_TYPE_LABELS } from './tag-labels.ts';
import { encodeTagName, tagHref } from '../works/works.presenter.ts';
import type { RelatedTagRow, WranglingRow } from './tags.repo.ts';

export interface TagLinkView {
  name: string;
  href: string;
}

export interface TagGroupView {
  heading: string;
  tags: TagLinkView[];
  more: number;
}

export interface TagPageView {
  name: string;
  typeLabel: string;
  status: string;
  canonical: TagLinkView | null;
  synonyms: TagLinkView[];
  parents: TagGroupView[];
  children: TagGroupView[];
  workCount: number;
  worksHref: string;
  wrangleHref: string | null;
}

export function tagPageHref(name: string): string {
  return `/tags/${encodeTagName(name)}`;
}

const link = (t: { name: string }): TagLinkView => ({ name: t.name, href: tagPageHref(t.name) });

const PARENT_HEADINGS: Record<string, string> = { fandom: 'Fandoms', media: 'Media', character: 'Characters', meta: 'Meta tags' };
const TYPE_PLURALS: Record<TagType, string> = {
  rating: 'Ratings',
  warning: 'Warnings',
  category: 'Categories',
  media: 'Media',
  fandom: 'Fandoms',
  relationship: 'Relationships',
  character: 'Characters',
  freeform: 'Additional tags',
};

function groupBy(rows: readonly RelatedTagRow[], heading: (r: RelatedTagRow) => string): Map<string, RelatedTagRow[]> {
  const groups = new Map<string, RelatedTagRow[]>();
  for (const r of rows) {
    const key = heading(r);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return groups;
}

/** The tag page's view: the tag, what it resolves to, its relations, its count of works. */
export function toTagPageView(
  data: {
    tag: TagRow;
    canonical: TagRow;
    synonyms: ReadonlyArray<{ name: string }>;
    parents: readonly RelatedTagRow[];
    children: readonly RelatedTagRow[];
    childCounts: ReadonlyMap<string, number>;
    workCount: number;
  },
  canWrangle: boolean,
): TagPageView {
  const { tag, canonical } = data;
  const isSynonym = canonical.id !== tag.id;
  const status = isSynonym ? 'Synonym' : tag.canonical ? 'Canonical' : tag.unwrangled ? 'Not yet wrangled' : 'Wrangled, not canonical';
  const parents = [...groupBy(data.parents, (r) => PARENT_HEADINGS[r.kind] ?? r.kind)].map(([heading, rows]) => ({
    heading,
    tags: rows.map(link),
    more: 0,
  }));
  const children = [
    ...groupBy(data.children, (r) => (r.kind === 'meta' ? 'Sub tags' : r.kind === 'character' ? 'Relationships' : TYPE_PLURALS[r.type])),
  ].map(([heading, rows]) => {
    const first = rows[0]!;
    const total = data.childCounts.get(`${first.kind}:${first.type}`) ?? rows.length;
    return { heading, tags: rows.map(link), more: Math.max(0, total - rows.length) };
  });
  return {
    name: tag.name,
    typeLabel: TAG_TYPE_LABELS[tag.type],
    status,
    canonical: isSynonym ? link(canonical) : null,
    synonyms: data.synonyms.filter((s) => s.name !== tag.name).map(link),
    parents,
    children,
    workCount: data.workCount,
    worksHref: tagHref(tag.name),
    wrangleHref:
      canWrangle && !['rating', 'warning', 'category'].includes(tag.type)
        ? `/wrangling?type=${tag.type}&status=all&q=${encodeURIComponent(tag.name)}`
        : null,
  };
}

export interface WranglingRowView {
  id: number;
  name: string;
  href: string;
  state: string;
  fandoms: string;
  uses: number;
}

export function toWranglingRowView(row: WranglingRow): WranglingRowView {
  return {
    id: row.id,
    name: row.name,
    href: tagPageHref(row.name),
    state:
      row.merger_name !== null ? `Synonym of ${row.merger_name}` : row.canonical ? 'Canonical' : row.unwrangled ? 'Unwrangled' : 'Wrangled',
    fandoms: row.fandoms ?? '',
    uses: row.uses,
  };
}

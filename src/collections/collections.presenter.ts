import type { Selectable } from 'kysely';
import { formatDate } from '../lib/dates.ts';
import { trustHtml, type SafeHtml } from '../lib/safe-html.ts';
import type { CollectionRole, CollectionsTable } from '../db/tables/collections.ts';

export interface CollectionView {
  name: string;
  href: string;
  title: string;
  descriptionHtml: SafeHtml;
  rulesHtml: SafeHtml;
  faqHtml: SafeHtml;
  isClosed: boolean;
  isModerated: boolean;
  isAnonymous: boolean;
  isUnrevealed: boolean;
  /** The scheduled reveal ("2030-01-31 18:00 UTC"), or undefined. */
  revealAt: string | undefined;
  created: string;
  owners: Array<{ login: string; href: string }>;
  moderators: Array<{ login: string; href: string }>;
  parent: { title: string; href: string } | undefined;
  children: Array<{ title: string; href: string }>;
}

export const collectionHref = (name: string) => `/collections/${encodeURIComponent(name)}`;

/** Maps a collection row, its maintainers and its family to what the templates show. */
export function toCollectionView(
  row: Selectable<CollectionsTable>,
  participants: ReadonlyArray<{ login: string; role: CollectionRole }> = [],
  family: { parent?: { name: string; title: string } | undefined; children?: ReadonlyArray<{ name: string; title: string }> } = {},
): CollectionView {
  const person = (p: { login: string }) => ({ login: p.login, href: `/users/${encodeURIComponent(p.login)}` });
  return {
    name: row.name,
    href: collectionHref(row.name),
    title: row.title,
    // Sanitized on the way in (toFieldHtml), as work summaries are.
    descriptionHtml: trustHtml(row.description_html),
    rulesHtml: trustHtml(row.rules_html),
    faqHtml: trustHtml(row.faq_html),
    isClosed: row.is_closed,
    isModerated: row.is_moderated,
    isAnonymous: row.is_anonymous,
    isUnrevealed: row.is_unrevealed,
    revealAt: row.reveal_at ? `${row.reveal_at.toISOString().slice(0, 16).replace('T', ' ')} UTC` : undefined,
    created: formatDate(row.created_at),
    owners: participants.filter((p) => p.role === 'owner').map(person),
    moderators: participants.filter((p) => p.role === 'moderator').map(person),
    parent: family.parent ? { title: family.parent.title, href: collectionHref(family.parent.name) } : undefined,
    children: (family.children ?? []).map((c) => ({ title: c.title, href: collectionHref(c.name) })),
  };
}

/** What an item's two approvals add up to, in words. */
export function describeItemState(item: { collection_approval: string; creator_approval: string }): string {
  if (item.collection_approval === 'rejected') return 'Rejected by the collection';
  if (item.creator_approval === 'rejected') return 'Declined by the creator';
  if (item.creator_approval === 'pending') return 'Invited: waiting for the creator';
  if (item.collection_approval === 'pending') return 'Waiting for a maintainer';
  return 'In the collection';
}

// The related-works slice's interface for other slices: they import from here, never from related-works.repo.ts.
import type { Kysely, Transaction } from 'kysely';
import { findConcealments, withoutUnrevealed } from '../collections/anonymity.ts';
import type { Database } from '../db/schema.ts';
import type { Relation, RelatedStatus } from '../db/tables/gifts-and-related-works.ts';
import type { Viewer } from '../web/viewer.ts';
import { canReadWork, isCreator } from '../works/works.policy.ts';
import { findCreatorsOfWorks, loadWorkAccess, WorkFieldError, WorkNotFoundError } from '../works/works.service.ts';
import { announceRelatedWorks } from './related-works-events.ts';
import * as repo from './related-works.repo.ts';
import { parseParentRef, RelatedFieldsSchema, type RelatedFieldsInput } from './related-works.schema.ts';

type Db = Kysely<Database>;
type Trx = Kysely<Database> | Transaction<Database>;

export class RelatedWorkError extends Error {
  constructor(
    readonly status: 403 | 404 | 422,
    message: string,
  ) {
    super(message);
  }
}

/** What the form asks for, once parsed: links to remove, and maybe one to add. */
export interface RelatedChange {
  remove: number[];
  add?: { relation: Relation; url: string; title: string; creator: string };
}

/** Parses the form's related-work fields; messages per field when they cannot be used. */
export function parseRelatedFields(fields: unknown): { ok: true; change: RelatedChange } | { ok: false; errors: Record<string, string> } {
  const parsed = RelatedFieldsSchema.safeParse(fields ?? {});
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? 'related_url');
      errors[key] ??= issue.message;
    }
    return { ok: false, errors };
  }
  return { ok: true, change: toChange(parsed.data) };
}

function toChange(d: RelatedFieldsInput): RelatedChange {
  return {
    remove: d.related_remove,
    ...(d.related_relation !== ''
      ? { add: { relation: d.related_relation, url: d.related_url, title: d.related_title, creator: d.related_creator } }
      : {}),
  };
}

/**
 * Applies the form's change inside the work's save (`alsoSave`): removes the links named (only
 * this work's), adds the new one after checking it, and tells the parent's creators once the work
 * is posted. A link to a work of the viewer's own is approved at once. Throws WorkFieldError, which
 * rolls the whole save back and puts the message beside the field.
 */
export async function saveRelatedOfWork(trx: Trx, viewer: Viewer, workId: number, change: RelatedChange, baseUrl: string): Promise<void> {
  await repo.deleteLinks(trx, workId, change.remove);
  const add = change.add;
  if (add) {
    const ref = parseParentRef(add.url, baseUrl);
    if (!ref)
      throw new WorkFieldError(
        'related_url',
        'The related work’s address must start with http:// or https:// (or be the id of a work on this archive, such as 123).',
      );
    if (ref.kind === 'archive') {
      if (ref.workId === workId) throw new WorkFieldError('related_url', 'A work cannot be related to itself. Name another work.');
      const access = await loadWorkAccess(trx, ref.workId).catch((error: unknown) => {
        if (error instanceof WorkNotFoundError) return undefined;
        throw error;
      });
      if (!access || !canReadWork(viewer, access.facts).allowed)
        throw new WorkFieldError(
          'related_url',
          `There is no work ${ref.workId} on this archive that you can read. Check the address or id.`,
        );
      const existing = await repo.findLinksOfWork(trx, workId);
      if (existing.some((l) => l.parent_work_id === ref.workId && !change.remove.includes(l.id)))
        throw new WorkFieldError('related_url', `This work is already linked to work ${ref.workId}.`);
      const own = isCreator(viewer, access.facts);
      await repo.insertLink(trx, {
        workId,
        relation: add.relation,
        parentWorkId: ref.workId,
        externalUrl: null,
        externalTitle: null,
        externalCreator: null,
        status: own ? 'approved' : 'pending',
      });
    } else {
      if (add.title === '')
        throw new WorkFieldError('related_title', 'Give the title of the work elsewhere, so readers know what the link is.');
      await repo.insertLink(trx, {
        workId,
        relation: add.relation,
        parentWorkId: null,
        externalUrl: ref.url,
        externalTitle: add.title,
        externalCreator: add.creator === '' ? null : add.creator,
        status: 'pending',
      });
    }
  }
  await announceRelatedWorks(trx, workId);
}

/** Shown to a reader in a link: posted, not hidden, restricted only to the signed in (the same for every signed-in reader). */
function shown(signedIn: boolean, work: { isDraft: boolean | null; isRestricted: boolean | null; isHidden: boolean | null }): boolean {
  return work.isDraft === false && work.isHidden !== true && (signedIn || work.isRestricted !== true);
}

export interface RelatedLinkView {
  id: number;
  relation: Relation;
  status: RelatedStatus;
  /** A work here (its page), or null for a work elsewhere. */
  workId: number | null;
  title: string;
  href: string;
  external: boolean;
  creators: Array<{ name: string; login: string | null }>;
  /** In an anonymous collection: its creators are not named. */
  anonymous: boolean;
}

/** The parents this work names, as this class of reader may see them (archive parents only when they may read them). */
export async function findParentsShown(db: Trx, workId: number, signedIn: boolean): Promise<RelatedLinkView[]> {
  const links = await repo.findLinksOfWork(db, workId);
  const parentIds = links.flatMap((l) => (l.parent_work_id === null ? [] : [l.parent_work_id]));
  const [creators, concealed] = await Promise.all([findCreatorsOfWorks(db, parentIds), findConcealments(db, parentIds)]);
  return links.flatMap((l): RelatedLinkView[] => {
    if (l.parent_work_id === null)
      return [
        {
          id: l.id,
          relation: l.relation,
          status: l.status,
          workId: null,
          title: l.external_title ?? l.external_url!,
          href: l.external_url!,
          external: true,
          creators: l.external_creator ? [{ name: l.external_creator, login: null }] : [],
          anonymous: false,
        },
      ];
    if (!shown(signedIn, { isDraft: l.parent_is_draft, isRestricted: l.parent_is_restricted, isHidden: Boolean(l.parent_is_hidden) }))
      return [];
    // Panels are one rendering for every reader (decision 041): a concealed parent is concealed from all of them.
    const concealment = concealed.get(l.parent_work_id);
    if (concealment?.unrevealed) return [];
    return [
      {
        id: l.id,
        relation: l.relation,
        status: l.status,
        workId: l.parent_work_id,
        title: l.parent_title ?? '',
        href: `/works/${l.parent_work_id}`,
        external: false,
        creators: concealment
          ? []
          : creators.filter((c) => c.work_id === l.parent_work_id).map((c) => ({ name: c.pseud_name, login: c.login })),
        anonymous: concealment !== undefined,
      },
    ];
  });
}

/** The works naming this one as their parent, approved by its creators and shown to this class of reader. */
export async function findChildrenShown(db: Trx, workId: number, signedIn: boolean): Promise<RelatedLinkView[]> {
  const rows = (await repo.findApprovedChildren(db, workId)).filter((r) =>
    shown(signedIn, { isDraft: r.child_is_draft, isRestricted: r.child_is_restricted, isHidden: Boolean(r.child_is_hidden) }),
  );
  const ids = rows.map((r) => r.child_id);
  const [creators, concealed] = await Promise.all([findCreatorsOfWorks(db, ids), findConcealments(db, ids)]);
  return rows
    .filter((r) => !concealed.get(r.child_id)?.unrevealed)
    .map((r) => ({
      id: r.id,
      relation: r.relation,
      status: 'approved',
      workId: r.child_id,
      title: r.child_title,
      href: `/works/${r.child_id}`,
      external: false,
      creators: concealed.has(r.child_id)
        ? []
        : creators.filter((c) => c.work_id === r.child_id).map((c) => ({ name: c.pseud_name, login: c.login })),
      anonymous: concealed.has(r.child_id),
    }));
}

/** Every link of the work, for its creators' edit form and the API (drafts and hidden parents named only by id). */
export async function listLinksOfWork(db: Trx, workId: number) {
  return (await repo.findLinksOfWork(db, workId)).map((l) => ({
    id: l.id,
    relation: l.relation,
    status: l.status,
    parent_work_id: l.parent_work_id,
    title: l.parent_work_id === null ? l.external_title : l.parent_title,
    url: l.external_url,
    creator: l.external_creator,
  }));
}

/** The links naming the user's works, for their page (children that are drafts or hidden are left out). */
export async function listLinksToUsersWorks(db: Trx, viewer: Viewer) {
  const links = await repo.findLinksToUsersWorks(db, viewer.id);
  // A child in an unrevealed collection waits for the reveal before its title is shown here.
  const shownIds = new Set(
    (
      await withoutUnrevealed(
        db,
        links.map((l) => ({ id: l.child_id })),
      )
    ).map((r) => r.id),
  );
  return links.filter((l) => shownIds.has(l.child_id));
}

/** A parent's creator approves or removes a link to their work; returns both works' ids (their pages change). */
export async function decideLink(db: Db, viewer: Viewer, linkId: number, status: 'approved' | 'removed') {
  return db.transaction().execute(async (trx) => {
    const link = await repo.findLink(trx, linkId);
    if (!link || link.parent_work_id === null)
      throw new RelatedWorkError(
        404,
        'There is no link to your works with this id. It may have been taken off by the other work’s creator.',
      );
    const child = await loadWorkAccess(trx, link.work_id);
    if (!canReadWork(viewer, child.facts).allowed) throw new RelatedWorkError(404, 'There is no link to your works with this id.');
    const parent = await loadWorkAccess(trx, link.parent_work_id);
    if (!isCreator(viewer, parent.facts))
      throw new RelatedWorkError(403, 'Only the creators of the work it names can approve or remove this link.');
    await repo.setLinkStatus(trx, linkId, status);
    return { childId: link.work_id, parentId: link.parent_work_id };
  });
}

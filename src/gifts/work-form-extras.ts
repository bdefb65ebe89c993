// The work form's gift and related-work fields, for the works routes: one parse before the save
// and one `alsoSave` inside it, so a work, its gifts and its links are saved in one transaction.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { RELATION_PHRASES } from '../related-works/related-works-events.ts';
import { listLinksOfWork, parseRelatedFields, saveRelatedOfWork } from '../related-works/related-works.service.ts';
import type { Viewer } from '../web/viewer.ts';
import type { AlsoSave } from '../works/works.service.ts';
import { giftsFieldValue, parseGiftsField, saveGiftsOfWork } from './gifts.service.ts';

export type WorkFormExtras =
  | { ok: true; alsoSave: (viewer: Viewer, baseUrl: string) => AlsoSave }
  | { ok: false; errors: Record<string, string> };

/** Reads the gifts and related-work fields of a posted form (field errors when they cannot be used). */
export function parseWorkFormExtras(fields: Record<string, unknown>): WorkFormExtras {
  const gifts = parseGiftsField(fields.gifts);
  const related = parseRelatedFields(fields);
  if (!gifts.ok || !related.ok)
    return { ok: false, errors: { ...(gifts.ok ? {} : { gifts: gifts.message }), ...(related.ok ? {} : related.errors) } };
  return {
    ok: true,
    alsoSave: (viewer, baseUrl) => async (trx, workId) => {
      await saveGiftsOfWork(trx, viewer, workId, gifts.names);
      await saveRelatedOfWork(trx, viewer, workId, related.change, baseUrl);
    },
  };
}

/** The edit form's values: the gifts field, and the work's links (each with a box to remove it). */
export async function loadWorkFormExtras(db: Kysely<Database>, workId: number) {
  const [gifts, links] = await Promise.all([giftsFieldValue(db, workId), listLinksOfWork(db, workId)]);
  return {
    fields: { gifts },
    relatedLinks: links.map((l) => ({
      id: l.id,
      label: `${RELATION_PHRASES[l.relation].replace(/^./, (c) => c.toUpperCase())} ${l.title ?? l.url ?? `work ${l.parent_work_id}`}${l.status === 'pending' && l.parent_work_id !== null ? ' (waiting for its creators)' : l.status === 'removed' ? ' (removed by its creators)' : ''}`,
    })),
  };
}

// The gifts slice's interface for other slices: they import from here, never from gifts.repo.ts.
import type { Kysely, Transaction } from 'kysely';
import { findUserByLogin } from '../accounts/accounts.service.ts';
import { concealCreators, findConcealments } from '../collections/anonymity.ts';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../web/viewer.ts';
import { canReadWork } from '../works/works.policy.ts';
import { findCreatorsOfWorks, findTagsOfWorks, WorkFieldError } from '../works/works.service.ts';
import { announceGifts } from './gifts-events.ts';
import * as repo from './gifts.repo.ts';
import { GiftsFieldSchema } from './gifts.schema.ts';

type Db = Kysely<Database>;
type Trx = Kysely<Database> | Transaction<Database>;

export class GiftError extends Error {
  constructor(
    readonly status: 403 | 404 | 422,
    message: string,
  ) {
    super(message);
  }
}

/** Someone a gift is for: an archive user (and the pseud named) or only a name. */
export interface Recipient {
  userId: number | null;
  pseudId: number | null;
  name: string;
  login: string | null;
}

const PSEUD_AND_LOGIN = /^(.+?)\s*\(([A-Za-z0-9_-]+)\)$/;

/**
 * Who a name on the form means: "Pseud (login)" that pseud, a login that account's default
 * pseud, a pseud name held by one account that pseud; anything else is a name outside the
 * archive. A pseud name several accounts share is refused with how to say which.
 */
export async function resolveRecipient(db: Trx, name: string): Promise<Recipient> {
  const both = PSEUD_AND_LOGIN.exec(name);
  if (both) {
    const matches = (await repo.findPseudsByName(db, both[1]!)).filter((p) => p.login.toLowerCase() === both[2]!.toLowerCase());
    if (matches[0]) return { userId: matches[0].id, pseudId: matches[0].pseud_id, name: matches[0].pseud_name, login: matches[0].login };
  }
  const user = await findUserByLogin(db, name, { withDefaultPseud: true });
  if (user) return { userId: user.id, pseudId: user.pseud_id, name: user.pseud_name, login: user.login };
  const pseuds = await repo.findPseudsByName(db, name);
  const accounts = new Set(pseuds.map((p) => p.id));
  if (accounts.size > 1)
    throw new WorkFieldError(
      'gifts',
      `Several people use the name “${name}”. Write it with their login in brackets, such as “${name} (${pseuds[0]!.login})”.`,
    );
  if (pseuds[0]) return { userId: pseuds[0].id, pseudId: pseuds[0].pseud_id, name: pseuds[0].pseud_name, login: pseuds[0].login };
  return { userId: null, pseudId: null, name, login: null };
}

/** Parses the form's field; a message for the field when it cannot be used. */
export function parseGiftsField(raw: unknown): { ok: true; names: string[] } | { ok: false; message: string } {
  const parsed = GiftsFieldSchema.safeParse(raw);
  return parsed.success ? { ok: true, names: parsed.data } : { ok: false, message: parsed.error.issues[0]!.message };
}

/**
 * Makes the work's gifts the names given, inside the work's save (createWork / updateWorkMetadata
 * `alsoSave`): new recipients are added (and told, once the work is posted), ones no longer named
 * are taken off. Refusals hold: a recipient who refused cannot be given the work again. Throws
 * WorkFieldError('gifts', …), which rolls the whole save back.
 */
export async function saveGiftsOfWork(trx: Trx, viewer: Viewer, workId: number, names: readonly string[]): Promise<void> {
  const existing = await repo.findGiftsOfWork(trx, workId);
  const wanted: Recipient[] = [];
  for (const name of names) {
    const r = await resolveRecipient(trx, name);
    if (r.userId === viewer.id) throw new WorkFieldError('gifts', 'You cannot give a work to yourself. Remove your own name.');
    if (r.userId !== null && (await repo.hasBlocked(trx, r.userId, viewer.id)))
      throw new WorkFieldError('gifts', `You cannot give works to ${r.name}. Remove the name to save.`);
    if (wanted.some((w) => sameRecipient(w, r))) continue;
    wanted.push(r);
  }
  const keep = new Set<number>();
  for (const r of wanted) {
    const found = existing.find((g) => sameRecipient({ userId: g.recipient_user_id, name: g.recipient_name }, r));
    if (found?.refused_at) throw new WorkFieldError('gifts', `${r.name} refused this gift, so it cannot be given to them again.`);
    if (found) keep.add(found.id);
    else await repo.insertGift(trx, { workId, userId: r.userId, pseudId: r.pseudId, name: r.name });
  }
  await repo.deleteGifts(
    trx,
    workId,
    existing.filter((g) => !g.refused_at && !keep.has(g.id)).map((g) => g.id),
  );
  await announceGifts(trx, workId);
}

function sameRecipient(a: { userId: number | null; name: string }, b: { userId: number | null; name: string }): boolean {
  return a.userId !== null || b.userId !== null ? a.userId === b.userId : a.name.toLowerCase() === b.name.toLowerCase();
}

/** The form field's value for the edit form: the gifts not refused, as names the form reads back. */
export async function giftsFieldValue(db: Trx, workId: number): Promise<string> {
  const gifts = await repo.findGiftsOfWork(db, workId);
  return gifts
    .filter((g) => !g.refused_at)
    .map((g) =>
      g.recipient_login === null
        ? g.recipient_name
        : g.recipient_name === g.recipient_login
          ? g.recipient_login
          : `${g.recipient_name} (${g.recipient_login})`,
    )
    .join(', ');
}

/** The work's gifts for the API: who it is for and whether they refused. */
export async function listGiftsOfWork(db: Trx, workId: number) {
  return (await repo.findGiftsOfWork(db, workId)).map((g) => ({
    id: g.id,
    name: g.recipient_name,
    login: g.recipient_login,
    refused: g.refused_at !== null,
  }));
}

/** "For X, Y" on the work page: recipients who did not refuse, linked to their gifts page when on the archive. */
export async function findShownRecipients(db: Trx, workId: number): Promise<Array<{ name: string; login: string | null }>> {
  return (await repo.findShownRecipients(db, workId)).map((r) => ({ name: r.recipient_name, login: r.recipient_login }));
}

export const GIFTS_PER_PAGE = 20;

/** A user's gifts page: the works given to them that this viewer may read, newest gift first. */
export async function listGiftsForUser(db: Db, viewer: Viewer | null, login: string, page: number) {
  const user = await findUserByLogin(db, login, { withDefaultPseud: true });
  if (!user || user.login !== login) throw new GiftError(404, `There is no user called ${login.slice(0, 60)}.`);
  const rows = await repo.findGiftsForUser(
    db,
    user.id,
    { signedIn: viewer !== null, staff: Boolean(viewer?.isAdmin || viewer?.isModerator) },
    { limit: GIFTS_PER_PAGE + 1, offset: (page - 1) * GIFTS_PER_PAGE },
  );
  const ids = rows.map((r) => r.id);
  const [creators, tags, concealed] = await Promise.all([
    findCreatorsOfWorks(db, ids),
    findTagsOfWorks(db, ids),
    findConcealments(db, ids),
  ]);
  // Anonymous collections' works keep their creators to themselves; unrevealed ones wait for the reveal (decision 043).
  const shownCreators = await concealCreators(db, viewer, creators);
  const own = (workId: number) => viewer !== null && creators.some((c) => c.work_id === workId && c.user_id === viewer.id);
  const visible = rows.filter(
    (r) =>
      (!concealed.get(r.id)?.unrevealed || own(r.id)) &&
      canReadWork(viewer, {
        isDraft: r.is_draft,
        isRestricted: r.is_restricted,
        isHidden: r.hidden_reason != null,
        creatorUserIds: creators.filter((c) => c.work_id === r.id).map((c) => c.user_id),
      }).allowed,
  );
  return {
    user: { id: user.id, login: user.login },
    gifts: visible.slice(0, GIFTS_PER_PAGE).map((r) => ({
      giftId: r.gift_id,
      row: r,
      creators: shownCreators.filter((c) => c.work_id === r.id),
      tags: tags.filter((t) => t.work_id === r.id),
    })),
    hasNext: rows.length > GIFTS_PER_PAGE,
  };
}

/** The recipient refuses a gift: it leaves their gifts page and the work's "for" line. Returns the work id. */
export async function refuseGift(db: Db, viewer: Viewer, giftId: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const gift = await repo.findGift(trx, giftId);
    if (!gift || gift.recipient_user_id !== viewer.id)
      throw new GiftError(404, 'There is no gift to you with this id. It may have been taken back by its giver.');
    if (gift.refused_at) return gift.work_id;
    await repo.refuseGift(trx, viewer.id, giftId);
    return gift.work_id;
  });
}

// Co-creators: a creator invites a pseud to a work or a series; the pseud's user accepts (and is
// credited, so works.policy and series.policy let them edit) or declines. Each creator may take
// their own credit off, never the last one. Orphaning is orphaning.service.ts.
import type { Kysely, Transaction } from 'kysely';
import { ORPHAN_LOGIN } from '../accounts/account-deletion.ts';
import type { Database } from '../db/schema.ts';
import { addInboxItem } from '../inbox/inbox.service.ts';
import { canEditSeries } from '../series/series.policy.ts';
import type { Viewer } from '../web/viewer.ts';
import { findCreatorsOfWorks, loadEditable, lockWorkRow, WorkNotFoundError } from '../works/works.service.ts';
import * as repo from './co-creators.repo.ts';
import type { CreditTarget } from './co-creators.repo.ts';

export type { CreditTarget } from './co-creators.repo.ts';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

export class CoCreatorNotFoundError extends Error {}
export class CoCreatorForbiddenError extends Error {}
/** A refusal about what was typed, shown beside the field (422, typing kept). */
export class CoCreatorInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
/** Taking off the last credit would leave a work or series without a creator. */
export class LastCreatorError extends Error {}

export const targetHref = (target: CreditTarget) => `/${target.kind === 'work' ? 'works' : 'series'}/${target.id}`;
export const byline = (pseud: string, login: string) => (pseud === login ? pseud : `${pseud} (${login})`);

export interface Credit {
  pseudName: string;
  login: string;
  userId: number;
}

export interface CreditsOfTarget {
  target: CreditTarget;
  title: string;
  creators: Credit[];
  invitations: Array<{ id: number; pseudName: string; login: string }>;
}

/**
 * Inside the caller's transaction: the work or series when the viewer may edit it (the same rule
 * as editing it: works.policy through loadEditable, series.policy), with its title and creators.
 */
async function loadEditableTarget(trx: Db | Trx, viewer: Viewer, target: CreditTarget, lock: boolean) {
  if (target.kind === 'work') {
    if (lock) await lockWorkRow(trx, target.id);
    const { work, creators } = await loadEditable(trx, viewer, target.id);
    return {
      title: work.title,
      creators: creators.map((c) => ({ pseudName: c.pseud_name, login: c.login, userId: c.user_id })),
      isDraft: work.is_draft,
    };
  }
  // Read under the row lock either way: a series has no cheaper read that agrees with its edits.
  const loaded = await repo.lockSeries(trx, target.id);
  if (!loaded) throw new CoCreatorNotFoundError('There is no series with this id. It may have been deleted.');
  if (!canEditSeries(viewer, { creatorUserIds: loaded.creators.map((c) => c.user_id) })) {
    throw new CoCreatorForbiddenError('Only the creators of this series can change who created it.');
  }
  return {
    title: loaded.series.title,
    creators: loaded.creators.map((c) => ({ pseudName: c.login, login: c.login, userId: c.user_id })),
    isDraft: false,
  };
}

/** What the creators page shows: the credits and the invitations not answered yet. */
export async function loadCredits(db: Db, viewer: Viewer, target: CreditTarget): Promise<CreditsOfTarget> {
  return db.transaction().execute(async (trx) => {
    const loaded = await loadEditableTarget(trx, viewer, target, false);
    const invitations = await repo.findInvitationsOf(trx, target);
    return {
      target,
      title: loaded.title,
      creators: loaded.creators,
      invitations: invitations.map((i) => ({ id: i.id, pseudName: i.pseud_name, login: i.login })),
    };
  });
}

export type InviteOutcome = { kind: 'invited' | 'added'; name: string };

/**
 * Invites the pseud a byline names ("name", "name (login)" or a login). One of the viewer's own
 * pseuds is credited at once: there is nobody else to ask.
 */
export async function inviteCoCreator(db: Db, viewer: Viewer, target: CreditTarget, typed: string): Promise<InviteOutcome> {
  const wanted = typed.trim();
  return db.transaction().execute(async (trx) => {
    const loaded = await loadEditableTarget(trx, viewer, target, true);
    const matches = await repo.findPseudsByByline(trx, wanted);
    if (matches.length === 0) throw new CoCreatorInputError('pseud', `There is no pseud or user called “${wanted}”. Check the spelling.`);
    if (matches.length > 1) {
      const names = matches.map((m) => byline(m.pseud_name, m.login)).join(', ');
      throw new CoCreatorInputError('pseud', `Several creators use the name “${wanted}”: ${names}. Type one as “name (login)”.`);
    }
    const pseud = matches[0]!;
    const name = byline(pseud.pseud_name, pseud.login);
    if (pseud.login.toLowerCase() === ORPHAN_LOGIN) throw new CoCreatorInputError('pseud', 'The orphan account cannot be invited.');
    const credited =
      target.kind === 'work'
        ? (await findCreatorsOfWorks(trx, [target.id])).some((c) => c.pseud_id === pseud.pseud_id)
        : loaded.creators.some((c) => c.userId === pseud.user_id);
    if (credited) throw new CoCreatorInputError('pseud', `${name} is already a creator of “${loaded.title}”.`);
    if (pseud.user_id === viewer.id) {
      if (target.kind === 'work') await repo.appendWorkCreator(trx, target.id, pseud.pseud_id);
      return { kind: 'added', name };
    }
    const pending = await repo.findInvitationsOf(trx, target);
    if (pending.some((i) => i.pseud_id === pseud.pseud_id || (target.kind === 'series' && i.user_id === pseud.user_id))) {
      throw new CoCreatorInputError('pseud', `${name} has been invited already and has not answered yet.`);
    }
    // One message for both refusals, so that an inviter does not learn whether they are blocked.
    if (!(await repo.allowsInvitations(trx, pseud.user_id)) || (await repo.hasBlocked(trx, pseud.user_id, viewer.id))) {
      throw new CoCreatorInputError('pseud', `${name} does not accept co-creator invitations from you.`);
    }
    await repo.insertInvitation(trx, target, pseud.pseud_id, viewer.id);
    await addInboxItem(trx, {
      userId: pseud.user_id,
      kind: 'co_creator.invitation',
      workId: target.kind === 'work' ? target.id : null,
      actorUserId: viewer.id,
      text: `${viewer.login} invited ${pseud.pseud_name} to be a co-creator of the ${target.kind} “${loaded.title}”. Accept or decline it on your invitations page.`,
      url: '/co_creator_invitations',
    });
    return { kind: 'invited', name };
  });
}

export interface InvitationView {
  id: number;
  target: CreditTarget;
  title: string;
  pseudName: string;
  inviterLogin: string | null;
  createdAt: Date;
}

/** The viewer's invitations waiting for an answer. */
export async function listInvitations(db: Db | Trx, viewer: Viewer): Promise<InvitationView[]> {
  const rows = await repo.findInvitationsForUser(db, viewer.id);
  return rows.map((r) => ({
    id: r.id,
    target: r.work_id !== null ? { kind: 'work', id: r.work_id } : { kind: 'series', id: r.series_id! },
    title: r.work_title ?? r.series_title ?? '',
    pseudName: r.pseud_name,
    inviterLogin: r.inviter_login,
    createdAt: r.created_at,
  }));
}

export type Answer = 'accept' | 'decline';

/** Accepts (the pseud is credited and may edit from now on) or declines an invitation; returns what it was for. */
export async function answerInvitation(
  db: Db,
  viewer: Viewer,
  invitationId: number,
  answer: Answer,
): Promise<{ target: CreditTarget; title: string }> {
  return db.transaction().execute(async (trx) => {
    const invitation = await repo.lockInvitationForUser(trx, viewer.id, invitationId);
    if (!invitation) throw new CoCreatorNotFoundError('There is no such invitation for you. It may have been answered already.');
    const target: CreditTarget =
      invitation.work_id !== null ? { kind: 'work', id: invitation.work_id } : { kind: 'series', id: invitation.series_id! };
    let title: string;
    if (target.kind === 'work') {
      // The same lock as the creators' own changes, so an acceptance and a creator leaving take turns.
      await lockWorkRow(trx, target.id);
      const work = await trx.selectFrom('works').select('title').where('id', '=', target.id).executeTakeFirst();
      if (!work) throw new WorkNotFoundError();
      title = work.title;
    } else {
      const series = await repo.lockSeries(trx, target.id);
      if (!series) throw new CoCreatorNotFoundError('There is no series with this id. It may have been deleted.');
      title = series.series.title;
    }
    await repo.deleteInvitation(trx, invitation.id);
    if (answer === 'accept') {
      if (target.kind === 'work') await repo.appendWorkCreator(trx, target.id, invitation.pseud_id);
      else await repo.insertSeriesCreator(trx, target.id, viewer.id);
    }
    if (invitation.invited_by_user_id !== null) {
      await addInboxItem(trx, {
        userId: invitation.invited_by_user_id,
        kind: `co_creator.${answer === 'accept' ? 'accepted' : 'declined'}`,
        workId: target.kind === 'work' ? target.id : null,
        actorUserId: viewer.id,
        text: `${byline(invitation.pseud_name, viewer.login)} ${answer === 'accept' ? 'accepted' : 'declined'} your invitation to co-create “${title}”.`,
        url: targetHref(target),
      });
    }
    return { target, title };
  });
}

/** Takes the viewer's own credits off a work or series; the last creator cannot leave. */
export async function leaveCredits(db: Db, viewer: Viewer, target: CreditTarget): Promise<{ title: string }> {
  return db.transaction().execute(async (trx) => {
    const loaded = await loadEditableTarget(trx, viewer, target, true);
    if (!loaded.creators.some((c) => c.userId !== viewer.id)) {
      throw new LastCreatorError(
        `You are the only creator of “${loaded.title}”, so you cannot remove yourself. Invite a co-creator first, or orphan or delete it instead.`,
      );
    }
    if (target.kind === 'work') await repo.deleteWorkCreditsOfUser(trx, target.id, viewer.id);
    else await repo.deleteSeriesCreator(trx, target.id, viewer.id);
    return { title: loaded.title };
  });
}

export function loadAllowsInvitations(db: Db, viewer: Viewer): Promise<boolean> {
  return repo.allowsInvitations(db, viewer.id);
}

export async function saveAllowsInvitations(db: Db, viewer: Viewer, allows: boolean): Promise<void> {
  await db.transaction().execute((trx) => repo.saveAllowsInvitations(trx, viewer.id, allows));
}

export { loadEditableTarget as loadEditableCreditTarget };

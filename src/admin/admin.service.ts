import type { Kysely } from 'kysely';
import type { Mailer } from '../accounts/mailer.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Database } from '../db/schema.ts';
import { hashToken, newToken } from '../lib/tokens.ts';
import { toFieldHtml } from '../works/text/index.ts';
import type { Viewer } from '../web/viewer.ts';
import { saveSiteSettings, type SiteSettings } from './site-settings.ts';

type Db = Kysely<Database>;
const actorOf = (v: Viewer) => ({ id: v.id, login: v.login });

export async function updateSettings(db: Db, actor: Viewer, settings: SiteSettings): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await saveSiteSettings(trx, settings);
    await recordAudit(trx, {
      actor: actorOf(actor),
      action: 'update_settings',
      targetType: 'site',
      targetId: 1,
      details: { name: settings.name, signupMode: settings.signupMode, guestComments: settings.guestComments },
    });
  });
}

/** Puts an address in the invitation queue (once: asking twice keeps the first place). */
export async function requestInvitation(db: Db, email: string): Promise<void> {
  const existing = await db
    .selectFrom('invitation_requests')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
  if (existing) return;
  await db
    .insertInto('invitation_requests')
    .values({ email })
    .execute()
    .catch((error: { code?: string }) => {
      // Two requests for one address at once: the unique index keeps one, which is what was asked.
      if (error?.code !== '23505') throw error;
    });
}

export async function queueLength(db: Db): Promise<number> {
  const row = await db
    .selectFrom('invitation_requests')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('invited_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Releases the next `count` requests in the queue: each gets a single-use code by email. */
export async function releaseInvitations(
  db: Db,
  mailer: Mailer,
  actor: Viewer,
  count: number,
  site: { baseUrl: string; name: string },
): Promise<number> {
  const sent = await db.transaction().execute(async (trx) => {
    const next = await trx
      .selectFrom('invitation_requests')
      .select(['id', 'email'])
      .where('invited_at', 'is', null)
      .orderBy('id')
      .limit(count)
      .forUpdate()
      .skipLocked()
      .execute();
    const codes: Array<{ email: string; code: string }> = [];
    for (const request of next) {
      const code = newToken();
      await trx
        .insertInto('invitations')
        .values({ code_hash: hashToken(code), email: request.email, created_by: actor.id })
        .execute();
      await trx.updateTable('invitation_requests').set({ invited_at: new Date() }).where('id', '=', request.id).execute();
      codes.push({ email: request.email, code });
    }
    await recordAudit(trx, {
      actor: actorOf(actor),
      action: 'release_invitations',
      targetType: 'invitations',
      targetId: codes.length,
      details: { count: codes.length },
    });
    return codes;
  });
  for (const { email, code } of sent) {
    await mailer.send({
      to: email,
      subject: `Your invitation to ${site.name}`,
      text: `You asked for an invitation to ${site.name}. Here it is: create your account at\n${site.baseUrl}/signup?invitation=${code}\n\nThe invitation works once.`,
    });
  }
  return sent.length;
}

/** Uses up an invitation code; false when unknown or used. */
export async function consumeInvitation(db: Db, code: string): Promise<boolean> {
  const result = await db
    .updateTable('invitations')
    .set({ used_at: new Date() })
    .where('code_hash', '=', hashToken(code))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Gives an unused-again invitation back (the account it was for could not be created). */
export async function returnInvitation(db: Db, code: string): Promise<void> {
  await db.updateTable('invitations').set({ used_at: null }).where('code_hash', '=', hashToken(code)).execute();
}

export async function recordInvitationUser(db: Db, code: string, userId: number): Promise<void> {
  await db.updateTable('invitations').set({ used_by: userId }).where('code_hash', '=', hashToken(code)).execute();
}

export async function createAdminPost(db: Db, actor: Viewer, input: { title: string; body: string }): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('admin_posts')
      .values({ author_id: actor.id, title: input.title, body_html: toFieldHtml(input.body) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor: actorOf(actor),
      action: 'create_admin_post',
      targetType: 'admin_post',
      targetId: row.id,
      details: { title: input.title },
    });
    return row.id;
  });
}

export async function addAdminPostComment(db: Db, author: Viewer, postId: number, body: string): Promise<number | null> {
  const post = await db.selectFrom('admin_posts').select('id').where('id', '=', postId).executeTakeFirst();
  if (!post) return null;
  const row = await db
    .insertInto('admin_post_comments')
    .values({ post_id: postId, user_id: author.id, body })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export function listAdminPosts(db: Db, limit = 20) {
  return db
    .selectFrom('admin_posts')
    .leftJoin('users', 'users.id', 'admin_posts.author_id')
    .select([
      'admin_posts.id',
      'admin_posts.title',
      'admin_posts.body_html',
      'admin_posts.created_at',
      'admin_posts.updated_at',
      'users.login as author',
    ])
    .orderBy('admin_posts.id', 'desc')
    .limit(limit)
    .execute();
}

export async function findAdminPost(db: Db, id: number) {
  const post = await db
    .selectFrom('admin_posts')
    .leftJoin('users', 'users.id', 'admin_posts.author_id')
    .select([
      'admin_posts.id',
      'admin_posts.title',
      'admin_posts.body_html',
      'admin_posts.created_at',
      'admin_posts.updated_at',
      'users.login as author',
    ])
    .where('admin_posts.id', '=', id)
    .executeTakeFirst();
  if (!post) return undefined;
  const comments = await db
    .selectFrom('admin_post_comments')
    .leftJoin('users', 'users.id', 'admin_post_comments.user_id')
    .select(['admin_post_comments.id', 'admin_post_comments.body', 'admin_post_comments.created_at', 'users.login as author'])
    .where('admin_post_comments.post_id', '=', id)
    .orderBy('admin_post_comments.id')
    .execute();
  return { post, comments };
}

/** Accounts whose login or email contains the text (admins' user lookup). */
export function lookupUsers(db: Db, q: string) {
  const pattern = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .selectFrom('users')
    .select(['id', 'login', 'email', 'created_at', 'is_admin'])
    .where((eb) => eb.or([eb(eb.fn('lower', ['login']), 'like', pattern), eb(eb.fn('lower', ['email']), 'like', pattern)]))
    .orderBy('login')
    .limit(50)
    .execute();
}

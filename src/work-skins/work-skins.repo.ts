import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export function findSkinsOfUser(db: Db, userId: number) {
  return db
    .selectFrom('work_skins')
    .select(['id', 'title', 'updated_at'])
    .select((eb) =>
      eb
        .selectFrom('work_skin_uses')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('work_skin_uses.skin_id', '=', 'work_skins.id')
        .as('uses'),
    )
    .where('user_id', '=', userId)
    .orderBy('title')
    .orderBy('id')
    .execute();
}

export function findSkin(db: Db, skinId: number) {
  return db.selectFrom('work_skins').selectAll().where('id', '=', skinId).executeTakeFirst();
}

export async function insertSkin(db: Db, skin: { userId: number; title: string; sourceCss: string; css: string }): Promise<number> {
  const row = await db
    .insertInto('work_skins')
    .values({ user_id: skin.userId, title: skin.title, source_css: skin.sourceCss, css: skin.css })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateSkin(db: Db, skinId: number, skin: { title: string; sourceCss: string; css: string }): Promise<void> {
  await db
    .updateTable('work_skins')
    .set({ title: skin.title, source_css: skin.sourceCss, css: skin.css, updated_at: new Date() })
    .where('id', '=', skinId)
    .execute();
}

export async function deleteSkin(db: Db, skinId: number): Promise<void> {
  await db.deleteFrom('work_skins').where('id', '=', skinId).execute();
}

/** The skin a work wears (id, CSS and when it last changed), if any. */
export function findSkinOfWork(db: Db, workId: number) {
  return db
    .selectFrom('work_skin_uses')
    .innerJoin('work_skins', 'work_skins.id', 'work_skin_uses.skin_id')
    .select(['work_skins.id', 'work_skins.title', 'work_skins.css', 'work_skins.updated_at'])
    .where('work_skin_uses.work_id', '=', workId)
    .executeTakeFirst();
}

export async function setSkinOfWork(db: Db, workId: number, skinId: number | null): Promise<void> {
  if (skinId === null) {
    await db.deleteFrom('work_skin_uses').where('work_id', '=', workId).execute();
    return;
  }
  await db
    .insertInto('work_skin_uses')
    .values({ work_id: workId, skin_id: skinId })
    .onConflict((oc) => oc.column('work_id').doUpdateSet({ skin_id: skinId }))
    .execute();
}

export async function findWorkIdsUsingSkin(db: Db, skinId: number): Promise<number[]> {
  const rows = await db.selectFrom('work_skin_uses').select('work_id').where('skin_id', '=', skinId).execute();
  return rows.map((r) => r.work_id);
}

/** The user's first skin with exactly this text (a copy of a shipped example). */
export function findSkinWithSource(db: Db, userId: number, sourceCss: string) {
  return db
    .selectFrom('work_skins')
    .select('id')
    .where('user_id', '=', userId)
    .where('source_css', '=', sourceCss)
    .orderBy('id')
    .executeTakeFirst();
}

import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { loadInteractionWork } from '../comments/work-access.ts';
import { describeLimit, REQUEST_TASK_MS, TaskLimitError, taskPool } from '../workers/task-pool.ts';
import { canReadWork, decideWorkEdit } from '../works/works.policy.ts';
import type { Viewer } from '../web/viewer.ts';
import { EXAMPLE_SKINS, findExampleSkin } from './example-skins.ts';
import { MAX_SKIN_BYTES, type CleanedSkin, type SkinProblem } from './skin-contract.ts';
import * as repo from './work-skins.repo.ts';
import { SkinChoiceSchema } from './work-skins.schema.ts';

export class SkinError extends Error {
  constructor(
    readonly status: 401 | 403 | 404 | 422,
    message: string,
    /** The form field the message belongs beside. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * Cleans a skin in the worker pool: 50 KB of CSS takes tens of milliseconds to parse and check,
 * too long for the thread answering everyone's requests.
 */
export async function cleanSkin(source: string): Promise<CleanedSkin> {
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes > MAX_SKIN_BYTES) {
    throw new SkinError(
      422,
      `This CSS is ${Math.ceil(bytes / 1024)} KB; a work skin can be at most ${MAX_SKIN_BYTES / 1024} KB. Remove rules the work does not use and save again.`,
      'css',
    );
  }
  try {
    return await taskPool().run('cleanWorkSkin', { css: source }, REQUEST_TASK_MS);
  } catch (error) {
    if (error instanceof TaskLimitError)
      throw new SkinError(422, `${describeLimit(error, 'Reading this CSS')} Simplify it and save again.`, 'css');
    throw error;
  }
}

export type SaveSkinResult = { saved: true; id: number; problems: SkinProblem[] } | { saved: false; problems: SkinProblem[] };

async function requireOwnSkin(db: Kysely<Database>, viewer: Viewer, skinId: number) {
  const skin = await repo.findSkin(db, skinId);
  // Skins are private to their creator: another's is not there at all.
  if (!skin || skin.user_id !== viewer.id) throw new SkinError(404, 'There is no such skin among yours. It may have been deleted.');
  return skin;
}

export function loadOwnSkin(db: Kysely<Database>, viewer: Viewer, skinId: number) {
  return requireOwnSkin(db, viewer, skinId);
}

export function listOwnSkins(db: Kysely<Database>, viewer: Viewer) {
  return repo.findSkinsOfUser(db, viewer.id);
}

/**
 * Saves a new skin or changes one. When the cleaner left anything out, nothing is saved unless
 * the creator has seen the list and chose to save without those parts (as AO3 refuses a skin
 * with unsupported CSS): their text is never silently changed.
 */
export async function saveSkin(
  db: Kysely<Database>,
  viewer: Viewer,
  input: { skinId?: number; title: string; css: string; acceptDropped: boolean },
): Promise<SaveSkinResult> {
  if (input.skinId !== undefined) await requireOwnSkin(db, viewer, input.skinId);
  const cleaned = await cleanSkin(input.css);
  if (cleaned.problems.length > 0 && !input.acceptDropped) return { saved: false, problems: cleaned.problems };
  if (cleaned.css === '') throw new SkinError(422, 'Nothing of this CSS can be used in a work skin; see the reasons below.', 'css');
  const values = { title: input.title, sourceCss: input.css, css: cleaned.css };
  const id = await db.transaction().execute(async (trx) => {
    if (input.skinId === undefined) return repo.insertSkin(trx, { userId: viewer.id, ...values });
    await repo.updateSkin(trx, input.skinId, values);
    return input.skinId;
  });
  return { saved: true, id, problems: cleaned.problems };
}

/** Deletes one of the viewer's skins; works wearing it go back to none. Returns those works' ids. */
export async function deleteOwnSkin(db: Kysely<Database>, viewer: Viewer, skinId: number): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    const skin = await repo.findSkin(trx, skinId);
    if (!skin || skin.user_id !== viewer.id) throw new SkinError(404, 'There is no such skin among yours. It may have been deleted.');
    const works = await repo.findWorkIdsUsingSkin(trx, skinId);
    await repo.deleteSkin(trx, skinId);
    return works;
  });
}

async function requireEditableWork(db: Kysely<Database>, viewer: Viewer, workId: number) {
  const work = await loadInteractionWork(db, workId);
  if (!work) throw new SkinError(404, 'There is no work with this id. It may have been deleted.');
  const decision = decideWorkEdit(viewer, work);
  if (!decision.allowed) throw new SkinError(decision.status, decision.reason);
  return work;
}

/** The work's title and current skin, for the creator's choice form. */
export async function loadSkinChoice(db: Kysely<Database>, viewer: Viewer, workId: number) {
  const work = await requireEditableWork(db, viewer, workId);
  const [current, skins] = await Promise.all([repo.findSkinOfWork(db, workId), repo.findSkinsOfUser(db, viewer.id)]);
  return { work: { id: work.id, title: work.title }, currentSkinId: current?.id ?? null, skins };
}

/**
 * Sets the skin a work wears: none, one of the creator's own, or a shipped example (copied into
 * the creator's skins the first time, so they can change it; chosen again, the copy is reused).
 */
export async function chooseSkin(db: Kysely<Database>, viewer: Viewer, workId: number, choice: string): Promise<void> {
  await requireEditableWork(db, viewer, workId);
  let skinId: number | null = null;
  if (choice.startsWith('example:')) {
    const shipped = findExampleSkin(choice.slice('example:'.length));
    if (!shipped) throw new SkinError(422, 'There is no such example skin. Choose one from the list.', 'skin');
    const { css } = await cleanSkin(shipped.css);
    await db.transaction().execute(async (trx) => {
      const existing = await repo.findSkinWithSource(trx, viewer.id, shipped.css);
      const id = existing?.id ?? (await repo.insertSkin(trx, { userId: viewer.id, title: shipped.title, sourceCss: shipped.css, css }));
      await repo.setSkinOfWork(trx, workId, id);
    });
    return;
  }
  if (choice !== '') {
    skinId = Number(choice);
    const skin = await repo.findSkin(db, skinId);
    if (!skin || skin.user_id !== viewer.id) throw new SkinError(422, 'Choose one of your own skins, or an example.', 'skin');
  }
  await db.transaction().execute((trx) => repo.setSkinOfWork(trx, workId, skinId));
}

/** The link the work page puts in its head, when the work wears a skin. */
export async function findSkinStylesheetOfWork(db: Kysely<Database>, workId: number): Promise<string | undefined> {
  const skin = await repo.findSkinOfWork(db, workId);
  return skin ? `/works/${workId}/skin.css` : undefined;
}

export interface SkinStylesheet {
  css: string;
  etag: string;
  /** Whether a shared cache may keep it (a posted, unrestricted work). */
  shared: boolean;
}

/** The skin of a work for a viewer who may read the work, under the same rules as the work page. */
export async function loadSkinStylesheet(db: Kysely<Database>, viewer: Viewer | null, workId: number): Promise<SkinStylesheet> {
  const work = await loadInteractionWork(db, workId);
  if (!work) throw new SkinError(404, 'There is no work with this id.');
  const read = canReadWork(viewer, work);
  if (!read.allowed) throw new SkinError(read.status, read.reason);
  const skin = await repo.findSkinOfWork(db, workId);
  if (!skin) throw new SkinError(404, 'This work wears no skin.');
  const etag = `"${createHash('sha256').update(skin.css).digest('base64url').slice(0, 27)}"`;
  return { css: skin.css, etag, shared: !work.isDraft && !work.isRestricted && !work.isHidden };
}

// ---- the work form's "Work skin" field (src/works/works.routes.tsx) ---------------------

/** The choices of the work form's skin field: none, the creator's own skins, the shipped examples. */
export async function listSkinOptions(db: Kysely<Database>, viewer: Viewer): Promise<{ value: string; label: string }[]> {
  const own = await repo.findSkinsOfUser(db, viewer.id);
  return [
    { value: '', label: 'None' },
    ...own.map((s) => ({ value: String(s.id), label: s.title })),
    ...EXAMPLE_SKINS.map((e) => ({ value: `example:${e.key}`, label: `${e.title} (example, copied to your skins)` })),
  ];
}

/** The field's value as the form shows it for a work: its skin's id, or '' for none. */
export async function findSkinChoiceOfWork(db: Kysely<Database>, workId: number): Promise<string> {
  const skin = await repo.findSkinOfWork(db, workId);
  return skin ? String(skin.id) : '';
}

/** What is wrong with the field's value, checked before the work is saved; undefined when it may be used (or was not sent). */
export async function findSkinChoiceError(db: Kysely<Database>, viewer: Viewer, raw: unknown): Promise<string | undefined> {
  if (raw === undefined) return undefined;
  const parsed = SkinChoiceSchema.safeParse({ skin: raw });
  if (!parsed.success) return 'Choose a work skin from the list.';
  const choice = parsed.data.skin;
  if (choice === '') return undefined;
  if (choice.startsWith('example:')) return findExampleSkin(choice.slice('example:'.length)) ? undefined : 'There is no such example skin.';
  const skin = await repo.findSkin(db, Number(choice));
  return skin && skin.user_id === viewer.id ? undefined : 'Choose one of your own skins, or an example.';
}

/**
 * Applies the field after the work was saved (checked first by findSkinChoiceError). A new work
 * with no skin chosen writes nothing; a form without the field leaves the skin as it is.
 */
export async function applySkinChoice(db: Kysely<Database>, viewer: Viewer, workId: number, raw: unknown, isNew: boolean): Promise<void> {
  if (typeof raw !== 'string' || (isNew && raw === '')) return;
  await chooseSkin(db, viewer, workId, raw.trim());
}

// The prompt-memes slice's interface (docs/decisions/047): other slices and the API import from
// here, never from prompt-memes.repo.ts. Every change is one transaction; every read checks who
// may see what (anonymous prompters, fills' works).
import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.service.ts';
import { isBlockedByAny } from '../blocking/blocking.service.ts';
import { findConcealments } from '../collections/anonymity.ts';
import { addWorkToCollectionIn, CollectionFieldError } from '../collections/collections.service.ts';
import type { Database } from '../db/schema.ts';
import { addInboxItem } from '../inbox/inbox.service.ts';
import type { Viewer } from '../web/viewer.ts';
import { toFieldHtml } from '../works/text/index.ts';
import { isCreator } from '../works/works.policy.ts';
import { loadWorkAccess, WorkNotFoundError } from '../works/works.service.ts';
import * as repo from './prompt-memes.repo.ts';
import { PROMPT_TAG_FIELDS, type PromptFilter, type PromptInput, type PromptTagField } from './prompt-memes.schema.ts';

type Db = Kysely<Database>;
type Trx = Kysely<Database> | Transaction<Database>;

export const PROMPTS_PER_PAGE = 20;
export const ANONYMOUS_PROMPTER = 'Anonymous';

/** A refusal: 404 (nothing there for this viewer), 403 (not theirs to change), 422 (a field to fix, named). */
export class PromptError extends Error {
  constructor(
    readonly status: 403 | 404 | 409 | 422,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

const actorOf = (viewer: Viewer) => ({ id: viewer.id, login: viewer.login });

async function loadCollection(db: Trx, name: string) {
  const collection = await repo.findCollectionWithMeme(db, name);
  if (!collection)
    throw new PromptError(404, 'There is no collection with this name. It may have been deleted, or the address is mistyped.');
  const participants = await repo.findParticipantIds(db, collection.id);
  return { collection, participants };
}

const isMaintainer = (viewer: Viewer | null, participants: ReadonlyArray<{ user_id: number }>) =>
  viewer !== null && participants.some((p) => p.user_id === viewer.id);

/** The collection's meme (404 when the collection has none), and what the viewer may do there. */
export async function loadMeme(db: Trx, viewer: Viewer | null, name: string) {
  const { collection, participants } = await loadCollection(db, name);
  const maintainer = isMaintainer(viewer, participants);
  if (collection.prompts_open === null && !maintainer)
    throw new PromptError(404, `${collection.title} has no prompt meme. Its maintainers can start one.`);
  return {
    collection: { id: collection.id, name: collection.name, title: collection.title },
    enabled: collection.prompts_open !== null,
    promptsOpen: collection.prompts_open === true,
    isMaintainer: maintainer,
  };
}

/** Maintainers turn the meme on, and open or close it to new prompts (audited). */
export async function saveMemeSettings(db: Db, viewer: Viewer, name: string, promptsOpen: boolean): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const { collection, participants } = await loadCollection(trx, name);
    if (!isMaintainer(viewer, participants))
      throw new PromptError(403, `Only the maintainers of ${collection.title} can run its prompt meme.`);
    await repo.upsertMeme(trx, collection.id, promptsOpen);
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: collection.prompts_open === null ? 'prompt_meme.enable' : 'prompt_meme.update',
      targetType: 'collection',
      targetId: collection.id,
      details: { collection: collection.name, promptsOpen },
    });
    return collection.name;
  });
}

async function saveTags(trx: Trx, promptId: number, input: PromptInput): Promise<void> {
  const ids: number[] = [];
  for (const [field, type] of Object.entries(PROMPT_TAG_FIELDS) as Array<[PromptTagField, (typeof PROMPT_TAG_FIELDS)[PromptTagField]]>)
    ids.push(...(await repo.ensureTags(trx, type, input[field])));
  await repo.replacePromptTags(trx, promptId, ids);
}

/** Posts a prompt to an open meme; returns its id. */
export async function createPrompt(db: Db, viewer: Viewer, name: string, input: PromptInput): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const meme = await loadMeme(trx, viewer, name);
    if (!meme.enabled) throw new PromptError(404, `${meme.collection.title} has no prompt meme yet. Turn it on first.`);
    if (!meme.promptsOpen)
      throw new PromptError(
        422,
        `${meme.collection.title}’s prompt meme is closed to new prompts. Its maintainers may reopen it.`,
        'title',
      );
    const id = await repo.insertPrompt(trx, {
      collectionId: meme.collection.id,
      userId: viewer.id,
      title: input.title,
      descriptionHtml: toFieldHtml(input.description),
      anonymous: input.anonymous,
    });
    await saveTags(trx, id, input);
    return id;
  });
}

async function loadPromptRow(db: Trx, id: number, forUpdate = false) {
  const prompt = await repo.findPrompt(db, id, forUpdate);
  if (!prompt) throw new PromptError(404, 'There is no prompt with this id. It may have been deleted.');
  const meme = await repo.findCollectionWithMeme(db, prompt.collection_name);
  const participants = await repo.findParticipantIds(db, prompt.collection_id);
  return { prompt, promptsOpen: meme?.prompts_open === true, participants };
}

/** The prompter edits their prompt (title, tags, description, anonymity). */
export async function updatePrompt(db: Db, viewer: Viewer, id: number, input: PromptInput): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { prompt } = await loadPromptRow(trx, id, true);
    if (prompt.user_id !== viewer.id) throw new PromptError(403, 'Only the person who posted this prompt can edit it.');
    await repo.updatePrompt(trx, id, { title: input.title, descriptionHtml: toFieldHtml(input.description), anonymous: input.anonymous });
    await saveTags(trx, id, input);
  });
}

/** The prompter deletes their prompt, or a maintainer deletes any (audited). Returns the collection's name. */
export async function deletePrompt(db: Db, viewer: Viewer, id: number): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const { prompt, participants } = await loadPromptRow(trx, id, true);
    const own = prompt.user_id === viewer.id;
    if (!own && !isMaintainer(viewer, participants))
      throw new PromptError(403, 'Only the person who posted this prompt, or the collection’s maintainers, can delete it.');
    // Claimants may be writing for it: they are told, without the prompter's name (it may be anonymous).
    const claimants = (await repo.findClaimsOfPrompts(trx, [id])).filter((c) => c.user_id !== viewer.id);
    for (const claimant of claimants)
      await addInboxItem(trx, {
        userId: claimant.user_id,
        kind: 'prompt_deleted',
        text: `The prompt “${prompt.title}” you claimed in ${prompt.collection_title} was deleted. Your claim went with it.`,
        url: `/collections/${encodeURIComponent(prompt.collection_name)}/prompts`,
      });
    await repo.deletePrompt(trx, id);
    if (!own)
      await recordAudit(trx, {
        actor: actorOf(viewer),
        action: 'prompt.delete',
        targetType: 'prompt',
        targetId: id,
        details: { collection: prompt.collection_name, title: prompt.title },
      });
    return prompt.collection_name;
  });
}

/**
 * One message for every refusal to let this person claim or fill, so that a claimant does not learn
 * whether the prompter blocked them (as co-creator invitations do), nor, for an anonymous prompt, who posted it.
 */
export const NOT_YOURS_TO_CLAIM = 'You cannot claim or fill this prompt. Pick another prompt of this meme.';

/** Whether the prompter blocked the viewer: a blocked user neither claims nor fills their prompts. */
async function isBarredFrom(trx: Trx, viewer: Viewer, prompt: { user_id: number }): Promise<boolean> {
  return prompt.user_id !== viewer.id && (await isBlockedByAny(trx, viewer.id, [prompt.user_id]));
}

/** Claims a prompt (several people may claim one); claiming twice is a no-op. */
export async function claimPrompt(db: Db, viewer: Viewer, id: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { prompt } = await loadPromptRow(trx, id, true);
    if (await isBarredFrom(trx, viewer, prompt)) throw new PromptError(403, NOT_YOURS_TO_CLAIM);
    await repo.insertClaim(trx, id, viewer.id);
  });
}

export async function unclaimPrompt(db: Db, viewer: Viewer, id: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await loadPromptRow(trx, id, true);
    if (!(await repo.deleteClaim(trx, id, viewer.id)))
      throw new PromptError(422, 'You have not claimed this prompt, so there is nothing to drop.');
  });
}

export type FillOutcome = 'approved' | 'awaiting-collection' | 'already-in';

/**
 * A claimant fills the prompt with a posted work of theirs: the work joins the collection through
 * the collections slice (its approval rules hold: a moderated collection's maintainers approve it,
 * a closed one refuses it), the fill is saved, and the prompter is told, all in one transaction.
 */
export async function fillPrompt(db: Db, viewer: Viewer, id: number, workId: number): Promise<{ outcome: FillOutcome; workId: number }> {
  return db.transaction().execute(async (trx) => {
    const { prompt } = await loadPromptRow(trx, id, true);
    // A claim made before the block does not let its claimant fill.
    if (await isBarredFrom(trx, viewer, prompt)) throw new PromptError(403, NOT_YOURS_TO_CLAIM, 'work_id');
    if (!(await repo.hasClaim(trx, id, viewer.id))) throw new PromptError(422, 'Claim this prompt before filling it.', 'work_id');
    const missing = () => new PromptError(422, `There is no work ${workId} of yours. Check the number in the work’s address.`, 'work_id');
    const access = await loadWorkAccess(trx, workId).catch((error: unknown) => {
      throw error instanceof WorkNotFoundError ? missing() : error;
    });
    if (!isCreator(viewer, access.facts)) throw missing();
    if (access.facts.isDraft) throw new PromptError(422, 'This work is a draft: post it first, then fill the prompt with it.', 'work_id');
    if (access.facts.isHidden)
      throw new PromptError(422, 'This work is hidden by the archive’s moderators, so it cannot fill a prompt.', 'work_id');
    if (await repo.findFill(trx, id, workId)) throw new PromptError(422, 'This work already fills this prompt.', 'work_id');
    const item = await repo.findCollectionItem(trx, prompt.collection_id, workId);
    let outcome: FillOutcome = 'already-in';
    if (item && (item.collection_approval === 'rejected' || item.creator_approval === 'rejected'))
      throw new PromptError(422, `This work was declined by ${prompt.collection_title}, so it cannot fill its prompts.`, 'work_id');
    if (!item) {
      const added = await addWorkToCollectionIn(trx, viewer, { collection: prompt.collection_name, work_id: workId }).catch(
        (error: unknown) => {
          throw error instanceof CollectionFieldError ? new PromptError(422, error.message, 'work_id') : error;
        },
      );
      outcome = added.outcome === 'approved' ? 'approved' : 'awaiting-collection';
    }
    await repo.insertFill(trx, id, workId, viewer.id);
    if (prompt.user_id !== viewer.id) {
      // A work in an anonymous or unrevealed collection does not name its creator, even to the prompter.
      const concealment = (await findConcealments(trx, [workId])).get(workId);
      const filler = concealment ? 'An anonymous creator' : viewer.login;
      const work = concealment?.unrevealed ? 'a work to be revealed later' : `“${access.work.title}”`;
      await addInboxItem(trx, {
        userId: prompt.user_id,
        kind: 'prompt_fill',
        workId: concealment?.unrevealed ? null : workId,
        actorUserId: concealment ? null : viewer.id,
        text: `${filler} filled your prompt “${prompt.title}” in ${prompt.collection_title} with ${work}.`,
        url: `/prompts/${id}`,
      });
    }
    return { outcome, workId };
  });
}

/** How a prompter is shown to this viewer: their name to themselves, "Anonymous" to everyone else. */
function prompterOf(viewer: Viewer | null, prompt: { user_id: number; login: string; is_anonymous: boolean }) {
  const self = viewer?.id === prompt.user_id;
  return {
    name: prompt.is_anonymous && !self ? ANONYMOUS_PROMPTER : prompt.login,
    login: prompt.is_anonymous && !self ? null : prompt.login,
    anonymous: prompt.is_anonymous,
    isSelf: self,
  };
}

export interface PromptView {
  id: number;
  title: string;
  descriptionHtml: string;
  createdAt: Date;
  prompter: { name: string; login: string | null; anonymous: boolean; isSelf: boolean };
  tags: Array<{ name: string; type: string }>;
  claimants: string[];
  viewerClaimed: boolean;
  fills: Array<{ workId: number; title: string; by: string }>;
  state: 'unclaimed' | 'claimed' | 'filled';
}

async function toPromptViews(
  db: Trx,
  viewer: Viewer | null,
  rows: ReadonlyArray<{
    id: number;
    user_id: number;
    login: string;
    is_anonymous: boolean;
    title: string;
    description_html: string;
    created_at: Date;
  }>,
): Promise<PromptView[]> {
  const ids = rows.map((r) => r.id);
  const [tags, claims, fills] = await Promise.all([
    repo.findTagsOfPrompts(db, ids),
    repo.findClaimsOfPrompts(db, ids),
    repo.findFillsOfPrompts(db, ids, viewer !== null),
  ]);
  const concealed = await findConcealments(
    db,
    fills.map((f) => f.id),
  );
  return rows.map((r) => {
    // An unrevealed work is not shown before the reveal; an anonymous one hides who filled with it (decision 043).
    const shownFills = fills
      .filter((f) => f.prompt_id === r.id && !(concealed.get(f.id)?.unrevealed && f.user_id !== viewer?.id))
      .map((f) => ({
        workId: f.id,
        title: f.title,
        by: concealed.has(f.id) && f.user_id !== viewer?.id ? 'Anonymous creator' : (f.login ?? 'orphan'),
      }));
    const claimants = claims.filter((c) => c.prompt_id === r.id);
    return {
      id: r.id,
      title: r.title,
      descriptionHtml: r.description_html,
      createdAt: r.created_at,
      prompter: prompterOf(viewer, r),
      tags: tags.filter((t) => t.prompt_id === r.id).map((t) => ({ name: t.name, type: t.type })),
      claimants: claimants.map((c) => c.login),
      viewerClaimed: viewer !== null && claimants.some((c) => c.user_id === viewer.id),
      fills: shownFills,
      state: shownFills.length > 0 ? 'filled' : claimants.length > 0 ? 'claimed' : 'unclaimed',
    };
  });
}

/** One prompt as this viewer may see it, with what they may do. */
export async function loadPrompt(db: Trx, viewer: Viewer | null, id: number) {
  const { prompt, promptsOpen, participants } = await loadPromptRow(db, id);
  const [view] = await toPromptViews(db, viewer, [prompt]);
  return {
    prompt: view!,
    collection: { name: prompt.collection_name, title: prompt.collection_title },
    promptsOpen,
    isMaintainer: isMaintainer(viewer, participants),
    tagFields: await tagFieldsOf(db, id),
  };
}

/** The prompt's tags as the form's comma-separated fields (the edit form's values). */
async function tagFieldsOf(db: Trx, id: number): Promise<Record<PromptTagField, string>> {
  const tags = await repo.findTagsOfPrompts(db, [id]);
  const out = { fandoms: '', characters: '', relationships: '', freeforms: '' };
  for (const [field, type] of Object.entries(PROMPT_TAG_FIELDS) as Array<[PromptTagField, string]>)
    out[field] = tags
      .filter((t) => t.type === type)
      .map((t) => t.name)
      .join(', ');
  return out;
}

/** The meme's prompts for this viewer with the filters, newest first, paged. */
export async function listPrompts(db: Trx, viewer: Viewer | null, name: string, filter: PromptFilter) {
  const meme = await loadMeme(db, viewer, name);
  if (filter.mine && !viewer) throw new PromptError(422, 'Sign in to see your own prompts and claims.');
  const includeTagIds: number[][] = [];
  for (const tag of filter.tag) includeTagIds.push(await repo.findTagFamilyIds(db, tag));
  const excludeTagIds: number[] = [];
  for (const tag of filter.exclude_tag) excludeTagIds.push(...(await repo.findTagFamilyIds(db, tag)));
  const rows = await repo.listPrompts(
    db,
    meme.collection.id,
    { includeTagIds, excludeTagIds, state: filter.state, mine: filter.mine, viewerId: viewer?.id ?? null, signedIn: viewer !== null },
    PROMPTS_PER_PAGE + 1,
    (filter.page - 1) * PROMPTS_PER_PAGE,
  );
  return {
    meme,
    prompts: await toPromptViews(db, viewer, rows.slice(0, PROMPTS_PER_PAGE)),
    hasNext: rows.length > PROMPTS_PER_PAGE,
  };
}

/**
 * "In response to a prompt by X in Y" for a work's page: the same for every reader (the page is
 * shared between readers, decision 033), so an anonymous prompter is "Anonymous" even to themselves there.
 */
export async function findPromptsAnsweredBy(db: Trx, workId: number) {
  return (await repo.findPromptsOfWork(db, workId)).map((p) => ({
    id: p.id,
    title: p.title,
    prompter: p.is_anonymous ? { name: ANONYMOUS_PROMPTER, login: null } : { name: p.login, login: p.login },
    collection: { name: p.collection_name, title: p.collection_title },
  }));
}

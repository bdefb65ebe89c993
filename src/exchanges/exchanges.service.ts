// Gift exchanges (issue 14, part 2; decision 046): a collection's maintainers open sign-ups, run
// the matcher (in the worker pool, through a job), review and adjust its answer, send assignments;
// givers default or post, maintainers find pinch hitters. Every change is one transaction; the
// maintainers' actions are audited.
import type { Kysely, Transaction } from 'kysely';
import { findUserByLogin } from '../accounts/accounts.service.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Database } from '../db/schema.ts';
import { giftsFieldValue, saveGiftsOfWork } from '../gifts/gifts.service.ts';
import { addInboxItem } from '../inbox/inbox.service.ts';
import { enqueueJob } from '../jobs/jobs.service.ts';
import { enqueueNotificationMail } from '../notifications/notifications.service.ts';
import type { Viewer } from '../web/viewer.ts';
import { BACKGROUND_TASK_MS, REQUEST_TASK_MS, TaskInputError, TaskLimitError, taskPool } from '../workers/task-pool.ts';
import { WorkFieldError } from '../works/works.service.ts';
import {
  EXCHANGE_TAG_TYPES,
  type ExchangeSettingsInput,
  MAX_TAG_SET,
  TAG_TYPE_LABELS,
  type ExchangeTagType,
  toExchangeDefinition,
} from './exchanges.schema.ts';
import type { MatchSummary, MatchTaskInput } from './exchanges.tasks.ts';
import * as repo from './exchanges.repo.ts';
import {
  type Assignment,
  checkSignUp,
  type ExchangeRules,
  type ManualChange,
  type Prompt,
  type SignUp,
  type TagSet,
} from './matching/index.ts';

type Db = Kysely<Database>;
type Trx = Kysely<Database> | Transaction<Database>;

/** The job that runs the matcher; payload { exchangeId }. */
export const MATCH_JOB = 'exchanges.match';
/** The job that reminds givers before the due date; payload { exchangeId, dueAt }. */
export const REMINDER_JOB = 'exchanges.reminder';
/** How long before the due date givers are reminded. */
export const REMINDER_BEFORE_MS = 3 * 24 * 60 * 60 * 1000;
/** The matcher's time limit in the pool: far above the 5,000-sign-up benchmark's 15 s. */
export const MATCH_TASK_MS = Math.max(BACKGROUND_TASK_MS, 120_000);

export class ExchangeError extends Error {
  constructor(
    readonly status: 403 | 404 | 409 | 422,
    message: string,
    readonly field: string = '_form',
  ) {
    super(message);
  }
}

const actorOf = (viewer: Viewer) => ({ id: viewer.id, login: viewer.login });

export type ExchangeRow = NonNullable<Awaited<ReturnType<typeof repo.findExchangeOfCollection>>>;

/** A parsed exchange: its rows with rules and tag set typed. */
export interface LoadedExchange {
  collection: NonNullable<Awaited<ReturnType<typeof repo.findCollectionByName>>>;
  participants: Awaited<ReturnType<typeof repo.findParticipants>>;
  exchange: (ExchangeRow & { rulesParsed: ExchangeRules; tagSetParsed: TagSet }) | undefined;
  isMaintainer: boolean;
}

function parseExchange(row: ExchangeRow | undefined): LoadedExchange['exchange'] {
  if (!row) return undefined;
  return { ...row, rulesParsed: row.rules as ExchangeRules, tagSetParsed: row.tag_set as TagSet };
}

/** The collection, its maintainers and its exchange (if any); 404 when there is no such collection. */
export async function loadExchange(db: Trx, viewer: Viewer | null, name: string, lock = false): Promise<LoadedExchange> {
  const collection = await repo.findCollectionByName(db, name);
  if (!collection) throw new ExchangeError(404, 'There is no collection with this name. It may have been deleted.');
  const participants = await repo.findParticipants(db, collection.id);
  const exchange = parseExchange(await repo.findExchangeOfCollection(db, collection.id, lock));
  return { collection, participants, exchange, isMaintainer: viewer !== null && participants.some((p) => p.userId === viewer.id) };
}

async function loadForMaintainer(trx: Trx, viewer: Viewer, name: string) {
  const loaded = await loadExchange(trx, viewer, name, true);
  if (!loaded.isMaintainer) throw new ExchangeError(403, 'Only the owners and moderators of this collection can run its gift exchange.');
  return loaded;
}

async function requireExchange(trx: Trx, viewer: Viewer, name: string) {
  const loaded = await loadForMaintainer(trx, viewer, name);
  if (!loaded.exchange) throw new ExchangeError(404, `${loaded.collection.title} is not a gift exchange yet.`);
  return { ...loaded, exchange: loaded.exchange };
}

/** Whether sign-ups are open now. */
export function isSignUpOpen(exchange: { signups_open_at: Date; signups_close_at: Date; status: string }, now = new Date()): boolean {
  return exchange.status === 'signups' && exchange.signups_open_at <= now && now < exchange.signups_close_at;
}

/**
 * Makes the collection a gift exchange, or changes its settings while sign-ups are the only thing
 * that happened. Every tag must exist on the archive with its type (spelled as the archive spells it).
 */
export async function saveExchangeSettings(db: Db, viewer: Viewer, name: string, input: ExchangeSettingsInput): Promise<void> {
  const definition = toExchangeDefinition(input);
  let dueAt: Date | null = null;
  if (input.due_at) {
    dueAt = new Date(`${input.due_at}${input.due_at.length === 16 ? ':00' : ''}Z`);
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(input.due_at) || Number.isNaN(dueAt.getTime()))
      throw new ExchangeError(422, 'The due date must be a date and time in UTC, such as 2030-01-31T18:00, or empty.', 'due_at');
    if (dueAt <= definition.closesAt) throw new ExchangeError(422, 'Works must be due after sign-ups close.', 'due_at');
  }
  await db.transaction().execute(async (trx) => {
    const { collection, exchange } = await loadForMaintainer(trx, viewer, name);
    if (exchange && exchange.status !== 'signups')
      throw new ExchangeError(409, 'Matching has run: the settings can no longer change. Sign-ups were matched under them.');
    const tagSet: Record<string, string[]> = {};
    for (const [type, names] of Object.entries(definition.tagSet)) {
      const found = await repo.findExistingTags(trx, type, names);
      const missing = names.filter((n) => !found.has(n.toLowerCase()));
      if (missing.length > 0)
        throw new ExchangeError(
          422,
          `${missing.map((m) => `“${m}”`).join(', ')} ${missing.length === 1 ? 'is not a' : 'are not'} ${type} ${missing.length === 1 ? 'tag' : 'tags'} on this archive. Check the spelling, or choose tags works here already use.`,
          `tags_${type}`,
        );
      tagSet[type] = names.map((n) => found.get(n.toLowerCase())!);
    }
    const row = {
      opensAt: definition.opensAt,
      closesAt: definition.closesAt,
      dueAt,
      rules: definition.rules,
      tagSet,
      nominationLimits: definition.nominationLimits,
      nominationsOpenAt: definition.nominationsOpenAt,
      nominationsCloseAt: definition.nominationsCloseAt,
    };
    const id = exchange ? exchange.id : await repo.insertExchange(trx, { collectionId: collection.id, ...row });
    if (exchange) await repo.updateExchangeSettings(trx, exchange.id, row);
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: exchange ? 'exchange.update' : 'exchange.create',
      targetType: 'gift_exchange',
      targetId: id,
      details: {
        collection: collection.name,
        opensAt: definition.opensAt.toISOString(),
        closesAt: definition.closesAt.toISOString(),
        nominationsOpenAt: definition.nominationsOpenAt?.toISOString() ?? null,
        nominationsCloseAt: definition.nominationsCloseAt?.toISOString() ?? null,
      },
    });
  });
}

/** The tag set with each type's allowed names matched regardless of case, as typed names are. */
function normalizePrompts(prompts: readonly Prompt[], tagSet: TagSet): Prompt[] {
  return prompts.map((p) => {
    const tags: Record<string, string[]> = {};
    for (const [type, names] of Object.entries(p.tags)) {
      const byLower = new Map((tagSet[type] ?? []).map((t) => [t.toLowerCase(), t]));
      tags[type] = names.map((n) => byLower.get(n.toLowerCase()) ?? n);
    }
    return p.any ? { tags, any: [...p.any] } : { tags };
  });
}

/** Saves the viewer's sign-up while sign-ups are open; refused with every problem the rules find. */
export async function saveSignUp(
  db: Db,
  viewer: Viewer,
  name: string,
  requests: readonly Prompt[],
  offers: readonly Prompt[],
  now = new Date(),
): Promise<'created' | 'updated'> {
  return db.transaction().execute(async (trx) => {
    const { exchange, collection } = await loadExchange(trx, viewer, name, true);
    if (!exchange) throw new ExchangeError(404, `${collection.title} is not a gift exchange.`);
    if (!isSignUpOpen(exchange, now)) throw new ExchangeError(422, signUpClosedMessage(exchange, now));
    const normalRequests = normalizePrompts(requests, exchange.tagSetParsed);
    const normalOffers = normalizePrompts(offers, exchange.tagSetParsed);
    const problems = checkSignUp(
      { id: viewer.login, requests: normalRequests, offers: normalOffers },
      exchange.rulesParsed,
      exchange.tagSetParsed,
    );
    if (problems.length > 0) throw new ExchangeError(422, `Your sign-up ${problems.join('; ')}. Fix these and send it again.`);
    const created = await repo.upsertSignUp(trx, exchange.id, viewer.id, normalRequests, normalOffers);
    return created ? 'created' : 'updated';
  });
}

export function signUpClosedMessage(exchange: { signups_open_at: Date; signups_close_at: Date }, now = new Date()): string {
  return now < exchange.signups_open_at
    ? `Sign-ups open on ${exchange.signups_open_at.toISOString().slice(0, 16).replace('T', ' ')} UTC; come back then.`
    : `Sign-ups closed on ${exchange.signups_close_at.toISOString().slice(0, 16).replace('T', ' ')} UTC, so sign-ups can no longer change.`;
}

export async function deleteSignUp(db: Db, viewer: Viewer, name: string, now = new Date()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { exchange, collection } = await loadExchange(trx, viewer, name, true);
    if (!exchange) throw new ExchangeError(404, `${collection.title} is not a gift exchange.`);
    if (!isSignUpOpen(exchange, now)) throw new ExchangeError(422, signUpClosedMessage(exchange, now));
    if (!(await repo.deleteSignUp(trx, exchange.id, viewer.id))) throw new ExchangeError(404, 'You have no sign-up in this exchange.');
  });
}

/** The matcher's input: sign-ups keyed by login (explanations name people the maintainers know). */
async function matchInput(trx: Trx, exchange: NonNullable<LoadedExchange['exchange']>) {
  const rows = await repo.findSignUps(trx, exchange.id);
  const signUps: SignUp[] = rows.map((r) => ({ id: r.login, requests: r.requests as Prompt[], offers: r.offers as Prompt[] }));
  return { rows, input: { signUps, rules: exchange.rulesParsed, tagSet: exchange.tagSetParsed as Record<string, string[]> } };
}

/** After sign-ups close, queues the matcher (again, to start over); the job runs it in the worker pool. */
export async function startMatching(db: Db, viewer: Viewer, name: string, now = new Date()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { exchange, collection } = await requireExchange(trx, viewer, name);
    if (now < exchange.signups_close_at) throw new ExchangeError(422, 'Sign-ups are still open: matching runs once they close.');
    if (exchange.status === 'sent') throw new ExchangeError(409, 'Assignments were sent already: matching cannot run again.');
    if (exchange.status === 'matching') throw new ExchangeError(409, 'Matching is already running; reload this page in a moment.');
    await repo.setExchangeStatus(trx, exchange.id, 'matching', { error: null });
    await enqueueJob(trx, {
      kind: MATCH_JOB,
      payload: { exchangeId: exchange.id },
      dedupeKey: `${MATCH_JOB}:${exchange.id}:${now.getTime()}`,
    });
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: 'exchange.match',
      targetType: 'gift_exchange',
      targetId: exchange.id,
      details: { collection: collection.name },
    });
  });
}

/** The job: matches in the pool, then stores the draft assignments and the review in one transaction. */
export async function runMatchingJob(db: Db, payload: unknown): Promise<void> {
  const exchangeId = (payload as { exchangeId?: unknown } | null)?.exchangeId;
  if (typeof exchangeId !== 'number') return;
  const row = await repo.findExchangeById(db, exchangeId);
  const exchange = parseExchange(row);
  if (!exchange) return;
  // Matched meanwhile, or started over: this run is stale.
  if (exchange.status !== 'matching') return;
  const { rows, input } = await matchInput(db, exchange);
  let summary: MatchSummary;
  try {
    summary = await taskPool().run('matchExchange', input, MATCH_TASK_MS);
  } catch (error) {
    if (!(error instanceof TaskLimitError) && !(error instanceof TaskInputError)) throw error;
    await repo.setExchangeStatus(db, exchangeId, 'signups', {
      error: `Matching was stopped: ${error.message}. Try again, or ask the archive's administrators.`,
    });
    return;
  }
  const byLogin = new Map(rows.map((r) => [r.login, r]));
  await db.transaction().execute(async (trx) => {
    const current = await repo.findExchangeById(trx, exchangeId);
    if (current?.status !== 'matching') return;
    await repo.replaceDraftAssignments(
      trx,
      exchangeId,
      summary.assignments.map((a) => ({
        recipientSignUpId: byLogin.get(a.recipientId)!.id,
        giverUserId: byLogin.get(a.giverId)!.user_id,
        weight: a.weight,
      })),
    );
    await repo.setExchangeStatus(trx, exchangeId, 'matched', { summary: { ...summary, assignments: undefined }, error: null });
  });
}

/**
 * The hand change a form or request names: remove takes a giver; swap (a second giver) and reassign
 * (a recipient) also need the other login. Null when that is missing or the kind is unknown, for
 * the caller to say so in its own words.
 */
export function manualChangeOf(kind: string | undefined, giver: string, other: string): ManualChange | null {
  if (kind === 'remove') return { kind: 'remove', giverId: giver };
  if (kind === 'swap' && other) return { kind: 'swap', giverA: giver, giverB: other };
  if (kind === 'reassign' && other) return { kind: 'reassign', giverId: giver, recipientId: other };
  return null;
}

/** A maintainer's change to the draft assignments, checked by the matcher's manual-changes module (in the pool). */
export async function changeAssignments(
  db: Db,
  viewer: Viewer,
  name: string,
  change: ManualChange,
): Promise<{ broken: string[]; warnings: string[] }> {
  const first = await requireExchange(db, viewer, name);
  if (first.exchange.status !== 'matched')
    throw new ExchangeError(409, 'Assignments can be changed by hand after matching and before they are sent.');
  const { rows, input } = await matchInput(db, first.exchange);
  const current = await repo.findAssignments(db, first.exchange.id);
  const assignments = current
    .filter((a) => a.giver_login !== null)
    .map((a) => ({ giverId: a.giver_login!, recipientId: a.recipient_login, weight: a.weight }));
  let result: Awaited<ReturnType<typeof runChange>>;
  try {
    result = await runChange({ ...input, assignments, change });
  } catch (error) {
    if (error instanceof TaskLimitError)
      throw new ExchangeError(422, `Checking the change took too long and was stopped: ${error.message}.`);
    throw error;
  }
  if (!result.ok) throw new ExchangeError(422, result.error);
  const ok = result;
  const byLogin = new Map(rows.map((r) => [r.login, r]));
  return db.transaction().execute(async (trx) => {
    const { exchange, collection } = await requireExchange(trx, viewer, name);
    const now = await repo.findAssignments(trx, exchange.id);
    // Another maintainer changed them since this change was checked: applying it would undo theirs.
    if (exchange.status !== 'matched' || pairsOf(now) !== pairsOf(current))
      throw new ExchangeError(
        409,
        'The assignments changed meanwhile (another change, a new matching, or they were sent); reload and try again.',
      );
    await repo.replaceDraftAssignments(
      trx,
      exchange.id,
      ok.assignments.map((a) => ({
        recipientSignUpId: byLogin.get(a.recipientId)!.id,
        giverUserId: byLogin.get(a.giverId)!.user_id,
        weight: a.weight,
      })),
    );
    const broken = ok.broken.map((b) => `${b.giverId} → ${b.recipientId}`);
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: 'exchange.assignments.change',
      targetType: 'gift_exchange',
      targetId: exchange.id,
      details: { collection: collection.name, change, broken, added: ok.added.map((a) => `${a.giverId} → ${a.recipientId}`) },
    });
    return { broken, warnings: ok.warnings };
  });
}

/** The giver → recipient pairs of a set of assignment rows, as one comparable string. */
function pairsOf(rows: readonly repo.AssignmentRow[]): string {
  return rows
    .map((a) => `${a.giver_login ?? ''}>${a.recipient_login}`)
    .sort()
    .join(',');
}

function runChange(input: MatchTaskInput & { assignments: Assignment[]; change: ManualChange }) {
  return taskPool().run('changeExchange', input, REQUEST_TASK_MS);
}

async function tellGiver(trx: Trx, giverUserId: number, assignmentId: number, collection: { name: string; title: string }, text: string) {
  const item = {
    userId: giverUserId,
    kind: 'exchange.assignment',
    actorUserId: null,
    text,
    url: `/collections/${collection.name}/exchange/assignments/${assignmentId}`,
  };
  await addInboxItem(trx, item);
  // Exchange mail rides the "comments on your works" choice, as gifts do (decision 041).
  await enqueueNotificationMail(trx, { ...item, kind: 'comment' });
}

/** Sends the assignments: an inbox item and a mail per giver; the due-date reminder is queued. */
export async function sendAssignments(db: Db, viewer: Viewer, name: string, now = new Date()): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const { exchange, collection } = await requireExchange(trx, viewer, name);
    if (exchange.status !== 'matched') throw new ExchangeError(409, 'Run matching first: there are no assignments to send.');
    const sent = await repo.markAssignmentsSent(trx, exchange.id);
    for (const a of sent)
      await tellGiver(
        trx,
        a.giver_user_id!,
        a.id,
        collection,
        `Your assignment for ${collection.title} is here: see whom you write for and what they asked.`,
      );
    await repo.setExchangeStatus(trx, exchange.id, 'sent');
    if (exchange.due_at) {
      const remindAt = new Date(Math.max(now.getTime(), exchange.due_at.getTime() - REMINDER_BEFORE_MS));
      if (remindAt < exchange.due_at)
        await enqueueJob(trx, {
          kind: REMINDER_JOB,
          payload: { exchangeId: exchange.id, dueAt: exchange.due_at.toISOString() },
          runAt: remindAt,
          dedupeKey: `${REMINDER_JOB}:${exchange.id}:${exchange.due_at.toISOString()}`,
        });
    }
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: 'exchange.assignments.send',
      targetType: 'gift_exchange',
      targetId: exchange.id,
      details: { collection: collection.name, assignments: sent.length },
    });
    return sent.length;
  });
}

/** The reminder job: each giver whose assignment has no work yet is told the due date. */
export async function runReminderJob(db: Db, payload: unknown): Promise<number> {
  const { exchangeId, dueAt } = (payload ?? {}) as { exchangeId?: number; dueAt?: string };
  if (typeof exchangeId !== 'number' || typeof dueAt !== 'string') return 0;
  return db.transaction().execute(async (trx) => {
    const exchange = await repo.findExchangeById(trx, exchangeId);
    // Moved since it was queued, or deleted: this reminder is stale.
    if (!exchange?.due_at || exchange.due_at.toISOString() !== dueAt) return 0;
    const collection = await trx
      .selectFrom('collections')
      .select(['name', 'title'])
      .where('id', '=', exchange.collection_id)
      .executeTakeFirstOrThrow();
    const open = (await repo.findAssignments(trx, exchangeId)).filter((a) => a.giver_user_id !== null && a.fulfilled_at === null);
    for (const a of open)
      await tellGiver(
        trx,
        a.giver_user_id!,
        a.id,
        collection,
        `Reminder: your gift for ${collection.title} is due on ${dueAt.slice(0, 16).replace('T', ' ')} UTC.`,
      );
    return open.length;
  });
}

/** One assignment as its giver or a maintainer sees it; anyone else gets a 404 (it exists for nobody else). */
export async function loadAssignment(db: Trx, viewer: Viewer, id: number) {
  const assignment = await repo.findAssignmentById(db, id);
  const missing = new ExchangeError(404, 'There is no such assignment for you. It may have been reassigned.');
  if (!assignment) throw missing;
  const participants = await repo.findParticipants(db, assignment.collection_id);
  const isMaintainer = participants.some((p) => p.userId === viewer.id);
  // A draft (unsent) assignment is the maintainers' business until it is sent.
  const isGiver = assignment.giver_user_id === viewer.id && assignment.sent_at !== null;
  if (!isMaintainer && !isGiver) throw missing;
  return { assignment, isMaintainer, isGiver };
}

/**
 * One assignment under the collection name of its address: an id of another collection's exchange
 * is absent here, so an address can never show or act on an assignment it does not name.
 */
export async function loadAssignmentIn(db: Trx, viewer: Viewer, name: string, id: number) {
  const found = await loadAssignment(db, viewer, id);
  if (found.assignment.collection_name.toLowerCase() !== name.toLowerCase())
    throw new ExchangeError(
      404,
      `There is no assignment ${id} in this collection's exchange. Check the collection's name and the number in the address.`,
    );
  return found;
}

/** A giver gives up their assignment: it waits for a pinch hitter; the maintainers are told. */
export async function defaultAssignment(db: Db, viewer: Viewer, name: string, id: number): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const { assignment, isGiver } = await loadAssignmentIn(trx, viewer, name, id);
    if (!isGiver) throw new ExchangeError(403, 'Only the giver of an assignment can default on it.');
    if (assignment.fulfilled_at) throw new ExchangeError(422, 'You already posted your gift for this assignment.');
    await repo.setAssignmentGiver(trx, id, { giverUserId: null, defaulted: [...assignment.defaulted_user_ids, viewer.id] });
    for (const p of await repo.findParticipants(trx, assignment.collection_id))
      await addInboxItem(trx, {
        userId: p.userId,
        kind: 'exchange.default',
        text: `${viewer.login} defaulted on the assignment for ${assignment.recipient_login} in ${assignment.collection_title}: it needs a pinch hitter.`,
        url: `/collections/${assignment.collection_name}/exchange/matching`,
      });
    return assignment.collection_name;
  });
}

/** A maintainer gives an open (defaulted or unmatched-giver) assignment to a volunteer. */
export async function assignPinchHitter(db: Db, viewer: Viewer, name: string, id: number, login: string): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const { assignment, isMaintainer } = await loadAssignmentIn(trx, viewer, name, id);
    if (!isMaintainer) throw new ExchangeError(403, 'Only the owners and moderators of this collection can assign pinch hitters.');
    if (assignment.giver_user_id !== null)
      throw new ExchangeError(409, 'This assignment has a giver; only a defaulted one takes a pinch hitter.');
    const volunteer = await findUserByLogin(trx, login);
    if (!volunteer) throw new ExchangeError(422, `There is no user with the login “${login}”. Check the spelling.`, 'login');
    if (volunteer.id === assignment.recipient_user_id)
      throw new ExchangeError(422, `${volunteer.login} is this assignment's recipient and cannot write their own gift.`, 'login');
    if (assignment.defaulted_user_ids.includes(volunteer.id))
      throw new ExchangeError(422, `${volunteer.login} defaulted on this assignment before; choose someone else.`, 'login');
    await repo.setAssignmentGiver(trx, id, { giverUserId: volunteer.id, pinchHit: true });
    const collection = { name: assignment.collection_name, title: assignment.collection_title };
    await tellGiver(
      trx,
      volunteer.id,
      id,
      collection,
      `You are a pinch hitter for ${collection.title}: see whom you write for and what they asked.`,
    );
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: 'exchange.pinch_hit',
      targetType: 'exchange_assignment',
      targetId: id,
      details: { collection: collection.name, giver: volunteer.login, recipient: assignment.recipient_login },
    });
    return collection.name;
  });
}

/**
 * After sending, a recipient the matcher could not give a giver gets one: a maintainer names a
 * volunteer, who is told as every giver was (before sending, hand changes do this).
 */
export async function pinchHitForRecipient(db: Db, viewer: Viewer, name: string, recipientLogin: string, login: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const { exchange, collection } = await requireExchange(trx, viewer, name);
    if (exchange.status !== 'sent')
      throw new ExchangeError(409, 'Before assignments are sent, give unmatched sign-ups a giver by changing the assignments by hand.');
    const signUp = (await repo.findSignUps(trx, exchange.id)).find((s) => s.login.toLowerCase() === recipientLogin.toLowerCase());
    if (!signUp)
      throw new ExchangeError(
        422,
        `${recipientLogin || 'Nobody'} has no sign-up in this exchange; choose a recipient from the list.`,
        'recipient',
      );
    const assignments = await repo.findAssignments(trx, exchange.id);
    if (assignments.some((a) => a.recipient_user_id === signUp.user_id))
      throw new ExchangeError(
        422,
        `${signUp.login} already has an assignment; a defaulted one takes a pinch hitter on its own page.`,
        'recipient',
      );
    const volunteer = await findUserByLogin(trx, login);
    if (!volunteer) throw new ExchangeError(422, `There is no user with the login “${login}”. Check the spelling.`, 'login');
    if (volunteer.id === signUp.user_id)
      throw new ExchangeError(422, `${volunteer.login} is the recipient and cannot write their own gift.`, 'login');
    const id = await repo.insertPinchHitAssignment(trx, exchange.id, signUp.id, volunteer.id);
    await tellGiver(
      trx,
      volunteer.id,
      id,
      collection,
      `You are a pinch hitter for ${collection.title}: see whom you write for and what they asked.`,
    );
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: 'exchange.pinch_hit',
      targetType: 'exchange_assignment',
      targetId: id,
      details: { collection: collection.name, giver: volunteer.login, recipient: signUp.login },
    });
    return id;
  });
}

/**
 * The giver posts their gift: one of their posted works goes into the exchange's collection
 * (approved: the exchange asked for it) and becomes a gift to the recipient (the gifts slice's
 * rule: its checks, its announcement), all in one transaction.
 */
export async function fulfilAssignment(
  db: Db,
  viewer: Viewer,
  name: string,
  id: number,
  workId: number,
): Promise<{ name: string; workId: number }> {
  return db.transaction().execute(async (trx) => {
    await loadAssignmentIn(trx, viewer, name, id);
    return fulfilAssignmentIn(trx, viewer, id, workId);
  });
}

/**
 * The title of the collection an open assignment of the viewer's belongs to and its recipient, for
 * the work form's "posting for" line; a 404 or 422 when it is not theirs or already posted.
 */
export async function loadOpenAssignmentForForm(db: Trx, viewer: Viewer, id: number) {
  const { assignment, isGiver } = await loadAssignment(db, viewer, id);
  if (!isGiver) throw new ExchangeError(404, 'There is no such assignment for you. It may have been reassigned.');
  if (assignment.fulfilled_at) throw new ExchangeError(422, 'You already posted your gift for this assignment.', 'exchange_assignment_id');
  return { id: assignment.id, recipient: assignment.recipient_login, collectionTitle: assignment.collection_title };
}

/** The fulfilment inside a caller's transaction: the work form posts a new work and fulfils in one. */
export async function fulfilAssignmentIn(trx: Trx, viewer: Viewer, id: number, workId: number): Promise<{ name: string; workId: number }> {
  {
    const { assignment, isGiver } = await loadAssignment(trx, viewer, id);
    if (!isGiver) throw new ExchangeError(403, 'Only the giver of an assignment can post for it.');
    if (!(await repo.isCreatorOfPostedWork(trx, viewer.id, workId)))
      throw new ExchangeError(422, `There is no posted work ${workId} of yours. Post the work first, then choose it here.`, 'work_id');
    await repo.putWorkInCollection(trx, assignment.collection_id, workId, viewer.id);
    const existing = (await giftsFieldValue(trx, workId))
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    try {
      await saveGiftsOfWork(trx, viewer, workId, [...existing, assignment.recipient_login]);
    } catch (error) {
      if (error instanceof WorkFieldError) throw new ExchangeError(422, error.message, 'work_id');
      throw error;
    }
    await repo.setAssignmentWork(trx, id, workId);
    return { name: assignment.collection_name, workId };
  }
}

/** The exchange page's facts for one viewer. */
export async function loadExchangePage(db: Trx, viewer: Viewer | null, name: string) {
  const loaded = await loadExchange(db, viewer, name);
  if (!loaded.exchange) return { ...loaded, signUp: undefined, myAssignments: [] as repo.AssignmentRow[], signUpCount: 0 };
  const [signUp, assignments, signUps] = await Promise.all([
    viewer ? repo.findSignUpOf(db, loaded.exchange.id, viewer.id) : Promise.resolve(undefined),
    viewer ? repo.findAssignments(db, loaded.exchange.id) : Promise.resolve([]),
    repo.findSignUps(db, loaded.exchange.id),
  ]);
  return {
    ...loaded,
    signUp,
    myAssignments: assignments.filter((a) => a.giver_user_id === viewer?.id && a.sent_at !== null),
    signUpCount: signUps.length,
  };
}

/** The maintainers' review: sign-ups, assignments, and the matcher's explanations and potential matches. */
export async function loadMatchingReview(db: Trx, viewer: Viewer, name: string) {
  const loaded = await requireExchange(db, viewer, name);
  const [signUps, assignments] = await Promise.all([
    repo.findSignUps(db, loaded.exchange.id),
    repo.findAssignments(db, loaded.exchange.id),
  ]);
  return { ...loaded, signUps, assignments, summary: (loaded.exchange.match_summary ?? null) as Omit<MatchSummary, 'assignments'> | null };
}

/** How many tags of each type one participant may nominate (a type absent takes none). */
export function nominationLimitsOf(exchange: { nomination_limits: unknown }): Record<string, number> {
  return (exchange.nomination_limits ?? {}) as Record<string, number>;
}

/** What the nomination window depends on: the exchange row's own columns. */
export interface NominationWindowFacts {
  signups_close_at: Date;
  nominations_open_at: Date | null;
  nominations_close_at: Date | null;
  status: string;
  nomination_limits: unknown;
}

/**
 * The nomination window's ends: the maintainers' own, or from the exchange's making (null) until
 * sign-ups close. The opening is inclusive and the closing exclusive, as for sign-ups.
 */
export function nominationWindowOf(exchange: NominationWindowFacts): { opensAt: Date | null; closesAt: Date } {
  return { opensAt: exchange.nominations_open_at, closesAt: exchange.nominations_close_at ?? exchange.signups_close_at };
}

/** Whether tags can be nominated now: the exchange takes some, its window is open, and matching has not begun. */
export function isNominationOpen(exchange: NominationWindowFacts, now = new Date()): boolean {
  return nominationClosedMessage(exchange, now) === null;
}

/** Why nominating is refused now, for the page and the 422; null while nominations are open. */
export function nominationClosedMessage(exchange: NominationWindowFacts, now = new Date()): string | null {
  if (Object.keys(nominationLimitsOf(exchange)).length === 0) return 'This exchange takes no tag nominations.';
  if (exchange.status !== 'signups') return 'Nominations closed when matching began: the tag set is fixed now.';
  const { opensAt, closesAt } = nominationWindowOf(exchange);
  if (opensAt && now < opensAt) return `Nominations open on ${utcText(opensAt)}; come back then.`;
  if (now >= closesAt) return `Nominations closed on ${utcText(closesAt)}, so tags can no longer be nominated.`;
  return null;
}

/** Where the window stands now, for the exchange page: open, not open yet, closed, or fixed by matching. */
export function nominationStateOf(exchange: NominationWindowFacts, now = new Date()): 'open' | 'not-yet' | 'closed' | 'fixed' {
  if (exchange.status !== 'signups') return 'fixed';
  if (isNominationOpen(exchange, now)) return 'open';
  const { opensAt } = nominationWindowOf(exchange);
  return opensAt && now < opensAt ? 'not-yet' : 'closed';
}

const utcText = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

const typeLabel = (type: string) => (TAG_TYPE_LABELS[type as ExchangeTagType] ?? type).toLowerCase();

/**
 * A participant nominates tags of the tag set's types: each must exist on the archive with that
 * type and not be in the tag set already, and one person's nominations of a type (pending or
 * approved) stay within the maintainers' limit. Every problem of one type is one 422 on its field.
 */
export async function nominateTags(
  db: Db,
  viewer: Viewer,
  name: string,
  byType: Record<string, string[]>,
  now = new Date(),
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const { exchange, collection } = await loadExchange(trx, viewer, name, true);
    if (!exchange) throw new ExchangeError(404, `${collection.title} is not a gift exchange.`);
    const closed = nominationClosedMessage(exchange, now);
    if (closed !== null) throw new ExchangeError(422, closed);
    const limits = nominationLimitsOf(exchange);
    const mine = await repo.findNominations(trx, exchange.id, viewer.id);
    const rows: Array<{ type: string; name: string }> = [];
    for (const [type, names] of Object.entries(byType)) {
      if (names.length === 0) continue;
      const field = `nominate_${type}`;
      const limit = limits[type] ?? 0;
      if (limit === 0) throw new ExchangeError(422, `This exchange takes no ${typeLabel(type)} nominations.`, field);
      const found = await repo.findExistingTags(trx, type, names);
      const missing = names.filter((n) => !found.has(n.toLowerCase()));
      if (missing.length > 0)
        throw new ExchangeError(
          422,
          `${missing.map((m) => `“${m}”`).join(', ')} ${missing.length === 1 ? 'is not a' : 'are not'} ${type} ${missing.length === 1 ? 'tag' : 'tags'} on this archive. Check the spelling, or nominate tags works here already use.`,
          field,
        );
      const inSet = new Set((exchange.tagSetParsed[type] ?? []).map((t) => t.toLowerCase()));
      const already = names.filter((n) => inSet.has(n.toLowerCase()));
      if (already.length > 0)
        throw new ExchangeError(
          422,
          `${already.map((m) => `“${found.get(m.toLowerCase())}”`).join(', ')} ${already.length === 1 ? 'is' : 'are'} in the tag set already; sign-ups can use ${already.length === 1 ? 'it' : 'them'} now.`,
          field,
        );
      const counted = mine.filter((n) => n.tag_type === type && n.status !== 'rejected');
      const countedNames = new Set(counted.map((n) => n.tag_name.toLowerCase()));
      const fresh = names.filter((n) => !countedNames.has(n.toLowerCase()));
      if (counted.length + fresh.length > limit)
        throw new ExchangeError(
          422,
          `You may nominate at most ${limit} ${typeLabel(type)}; you have ${counted.length} and named ${fresh.length} more. Nominate fewer.`,
          field,
        );
      for (const n of names) rows.push({ type, name: found.get(n.toLowerCase())! });
    }
    if (rows.length === 0) throw new ExchangeError(422, 'Name at least one tag to nominate.');
    return repo.insertNominations(trx, exchange.id, viewer.id, rows);
  });
}

/** One decision of a review: a nomination of this exchange and what becomes of it. */
export interface NominationDecision {
  id: number;
  decision: 'approve' | 'reject';
}

/** What one review did: the nominations it decided (approving a tag decides everyone's nominations of it). */
export interface NominationReview {
  approved: Array<{ id: number; type: string; tag: string }>;
  rejected: Array<{ id: number; type: string; tag: string }>;
}

/**
 * A maintainer reviews a batch of pending nominations in one transaction: approving one puts its
 * tag into the tag set and approves everyone's pending nominations of that tag; rejecting one
 * rejects that one. Each decision is audited, and each nominator gets one inbox notice for the
 * whole batch naming what was approved and rejected. Only while the tag set can still change: once
 * matching began, the sign-ups were matched against it.
 */
export async function reviewNominations(
  db: Db,
  viewer: Viewer,
  name: string,
  decisions: readonly NominationDecision[],
): Promise<NominationReview> {
  return db.transaction().execute(async (trx) => {
    // Who may review is answered before what the review says.
    const { exchange, collection } = await requireExchange(trx, viewer, name);
    if (decisions.length === 0) throw new ExchangeError(422, 'Choose Approve or Reject for at least one nomination, then save.');
    const byId = new Map<number, 'approve' | 'reject'>();
    for (const d of decisions) {
      if (byId.has(d.id) && byId.get(d.id) !== d.decision)
        throw new ExchangeError(422, `Nomination ${d.id} was both approved and rejected; choose one.`);
      byId.set(d.id, d.decision);
    }
    if (exchange.status !== 'signups')
      throw new ExchangeError(409, 'Matching has run: the tag set can no longer change, so nominations cannot be decided.');
    const rows: Array<NonNullable<Awaited<ReturnType<typeof repo.findNominationById>>> & { decision: 'approve' | 'reject' }> = [];
    for (const [id, decision] of byId) {
      const nomination = await repo.findNominationById(trx, exchange.id, id);
      if (!nomination)
        throw new ExchangeError(404, `There is no nomination ${id} in this exchange. It may have been withdrawn; reload the page.`);
      if (nomination.status !== 'pending')
        throw new ExchangeError(
          409,
          `The nomination of ${nomination.tag_name} was ${nomination.status} already; reload the page to see the current list.`,
        );
      rows.push({ ...nomination, decision });
    }
    const tagKey = (r: { tag_type: string; tag_name: string }) => `${r.tag_type}\u0000${r.tag_name.toLowerCase()}`;
    const approvedTags = new Set(rows.filter((r) => r.decision === 'approve').map(tagKey));
    const torn = rows.find((r) => r.decision === 'reject' && approvedTags.has(tagKey(r)));
    if (torn)
      throw new ExchangeError(
        422,
        `${torn.tag_name} was both approved and rejected (for different nominators); approving it approves every nomination of it, so choose one.`,
      );
    const tagSet = { ...(exchange.tagSetParsed as Record<string, string[]>) };
    const review: NominationReview = { approved: [], rejected: [] };
    const decidedRows: repo.NominationDecisionRow[] = [];
    for (const r of rows) {
      if (r.decision === 'approve') {
        const names = tagSet[r.tag_type] ?? [];
        if (!names.some((t) => t.toLowerCase() === r.tag_name.toLowerCase())) {
          if (names.length >= MAX_TAG_SET)
            throw new ExchangeError(
              422,
              `The ${r.tag_type} tag set has ${MAX_TAG_SET} tags, the most it can hold; remove some in the settings first.`,
            );
          tagSet[r.tag_type] = [...names, r.tag_name];
        }
      }
      const decided = await repo.decideNominationsOfTag(
        trx,
        exchange.id,
        r.tag_type,
        r.tag_name,
        r.decision === 'approve' ? 'approved' : 'rejected',
        viewer.id,
        r.decision === 'approve' ? undefined : r.id,
      );
      for (const d of decided)
        (r.decision === 'approve' ? review.approved : review.rejected).push({ id: d.id, type: d.tag_type, tag: d.tag_name });
      await recordAudit(trx, {
        actor: actorOf(viewer),
        action: r.decision === 'approve' ? 'exchange.nomination.approve' : 'exchange.nomination.reject',
        targetType: 'exchange_tag_nomination',
        targetId: r.id,
        details: {
          collection: collection.name,
          type: r.tag_type,
          tag: r.tag_name,
          nominator: r.user_id,
          // Approving a tag decides the other nominators' nominations of it too.
          decided: decided.map((d) => d.id),
          batch: byId.size,
        },
      });
      decidedRows.push(...decided);
    }
    if (review.approved.length > 0) await repo.setTagSet(trx, exchange.id, tagSet);
    await tellNominators(trx, viewer, collection, decidedRows);
    return review;
  });
}

/** The most tag names one notice lists of each outcome; the rest are counted (an inbox item holds 1,000 characters). */
const NOTICE_NAMES = 20;

function namesText(names: readonly string[]): string {
  const shown = names.slice(0, NOTICE_NAMES).join(', ');
  return names.length > NOTICE_NAMES ? `${shown} and ${names.length - NOTICE_NAMES} more` : shown;
}

/**
 * One inbox notice per nominator for a whole review, whatever the number of tags decided: what was
 * approved (it joined the tag set) and what was rejected. The reviewing maintainer is not told of
 * their own decisions.
 */
async function tellNominators(
  trx: Trx,
  viewer: Viewer,
  collection: { name: string; title: string },
  decided: readonly repo.NominationDecisionRow[],
): Promise<void> {
  const byUser = new Map<number, { approved: string[]; rejected: string[] }>();
  for (const d of decided) {
    if (d.user_id === viewer.id) continue;
    const outcome = byUser.get(d.user_id) ?? { approved: [], rejected: [] };
    (d.status === 'approved' ? outcome.approved : outcome.rejected).push(d.tag_name);
    byUser.set(d.user_id, outcome);
  }
  for (const [userId, { approved, rejected }] of byUser) {
    const parts = [
      ...(approved.length > 0 ? [`approved ${namesText(approved)} (now in the tag set)`] : []),
      ...(rejected.length > 0 ? [`rejected ${namesText(rejected)}`] : []),
    ];
    await addInboxItem(trx, {
      userId,
      kind: 'exchange.nominations',
      actorUserId: null,
      text: `The maintainers of ${collection.title} reviewed your tag nominations: ${parts.join('; ')}.`,
      url: `/collections/${encodeURIComponent(collection.name)}/exchange/nominations`,
    });
  }
}

/**
 * One nomination decided on its own (the API's decideExchangeNomination): a review of one.
 */
export async function decideNomination(
  db: Db,
  viewer: Viewer,
  name: string,
  id: number,
  decision: 'approve' | 'reject',
): Promise<{ type: string; tag: string }> {
  const review = await reviewNominations(db, viewer, name, [{ id, decision }]);
  const own = [...review.approved, ...review.rejected].find((n) => n.id === id)!;
  return { type: own.type, tag: own.tag };
}

/**
 * A nominator takes back their own nomination while it waits for review (it is deleted, so the
 * limit counts it no more); once reviewed it stays. Someone else's nomination is a 404, as if absent.
 */
export async function withdrawNomination(db: Db, viewer: Viewer, name: string, id: number): Promise<{ type: string; tag: string }> {
  return db.transaction().execute(async (trx) => {
    const { exchange, collection } = await loadExchange(trx, viewer, name);
    if (!exchange) throw new ExchangeError(404, `${collection.title} is not a gift exchange.`);
    const nomination = await repo.findNominationById(trx, exchange.id, id);
    if (!nomination || nomination.user_id !== viewer.id)
      throw new ExchangeError(404, 'You have no such nomination in this exchange. Check the number in the address.');
    if (nomination.status !== 'pending')
      throw new ExchangeError(
        409,
        `Your nomination of ${nomination.tag_name} was ${nomination.status} already; a reviewed nomination cannot be withdrawn.`,
      );
    await repo.deleteNomination(trx, id);
    return { type: nomination.tag_type, tag: nomination.tag_name };
  });
}

/** The nominations page's facts: one's own nominations, and for maintainers everyone's. */
export async function loadNominations(db: Trx, viewer: Viewer, name: string) {
  const loaded = await loadExchange(db, viewer, name);
  if (!loaded.exchange) throw new ExchangeError(404, `${loaded.collection.title} is not a gift exchange.`);
  const exchange = loaded.exchange;
  const [mine, all] = await Promise.all([
    repo.findNominations(db, exchange.id, viewer.id),
    loaded.isMaintainer ? repo.findNominations(db, exchange.id) : Promise.resolve([] as repo.NominationRow[]),
  ]);
  const now = new Date();
  const closedMessage = nominationClosedMessage(exchange, now);
  return {
    ...loaded,
    exchange,
    mine,
    all,
    limits: nominationLimitsOf(exchange),
    open: closedMessage === null,
    closedMessage,
    window: nominationWindowOf(exchange),
  };
}

export { EXCHANGE_TAG_TYPES };

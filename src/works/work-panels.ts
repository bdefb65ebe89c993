import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { h, type VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../web/viewer.ts';
import { escapeHtml } from '../lib/safe-html.ts';
import type { WorkSummaryView } from './works.presenter.ts';

/** Where on the work page a panel goes. */
export type WorkPanelSlot =
  /** Buttons beside the creator's edit links, or a reader's (download, bookmark, subscribe, report). */
  | 'actions'
  /** Above the text: notices, the story map control. */
  | 'beforeText'
  /** Below the text: kudos, comments, series navigation. */
  | 'afterText';

export interface WorkPanelContext {
  db: Kysely<Database>;
  viewer: Viewer | null;
  work: WorkSummaryView;
  /** The chapter being read, or undefined on the entire-work view. */
  chapterId: number | undefined;
  csrfToken: () => string;
  /** The user ids of the work's creators, already loaded for the policy check. */
  creatorUserIds: readonly number[];
  /** The posted chapters (what readers see), already loaded for the page. */
  postedChapters: ReadonlyArray<{ id: number; position: number; title: string }>;
  /** Why a moderator hid the work, or null; already loaded with the work's row. */
  hiddenReason: string | null;
  /**
   * One load per page render, shared by every panel that asks under the same key (the work's
   * interaction settings, whether the viewer is blocked by a creator): panels are independent,
   * but they must not each repeat the same read.
   */
  shared<T>(key: string, load: () => Promise<T>): Promise<T>;
}

/**
 * A piece of the work page contributed by another slice (kudos, comments, downloads, story
 * map...), so the works slice renders them without knowing those slices.
 */
export interface WorkPanel {
  id: string;
  slot: WorkPanelSlot;
  /** Lower first within a slot. */
  order: number;
  render(ctx: WorkPanelContext): Promise<VNode | null>;
  /**
   * For a panel that looks the same to most signed-in readers (docs/decisions/033): a boolean SQL
   * expression, true when this viewer's rendering differs from the one every other reader gets
   * (they gave kudos, bookmarked, mute a commenter...). The page cache keeps the common rendering
   * and renders the panel again only for viewers for whom it is true; every panel's expression is
   * read in one query. A panel without it is rendered for each signed-in reader.
   */
  personalWhen?(args: ViewerFactArgs): RawBuilder<boolean>;
}

export interface ViewerFactArgs {
  viewerId: number;
  workId: number;
  creatorUserIds: readonly number[];
}

export type RenderedPanels = Record<WorkPanelSlot, VNode[]>;

/**
 * The work page's panels for signed-in readers, split for the page cache: `slots` holds a
 * placeholder per panel (to be stored with the page), `common` the HTML every reader gets from
 * the panels that have one (`personalWhen`).
 */
export interface PanelShell {
  slots: RenderedPanels;
  common: ReadonlyMap<string, string>;
}

/**
 * Stands in for the viewer while the common rendering is made: no rows are theirs (user ids start
 * at 1), no staff role, and names that `fillPanelSlots` swaps for the real viewer's, escaped.
 */
const SECRET = randomBytes(12).toString('hex');
const SLOT_PREFIX = `ff-slot-${SECRET}-`;
const CSRF_STAND_IN = `ffcsrf${SECRET}`;
const LOGIN_STAND_IN = `fflogin${SECRET}`;
const PSEUD_STAND_IN = `ffpseud${SECRET}`;
export const COMMON_VIEWER: Viewer = Object.freeze({
  id: 0,
  login: LOGIN_STAND_IN,
  isAdmin: false,
  isModerator: false,
  defaultPseudId: 0,
  defaultPseudName: PSEUD_STAND_IN,
  unreadInbox: 0,
});

/** The placeholder a panel leaves in a stored page: an element no user text can make (the id holds a per-process secret). */
function slotElement(id: string): VNode {
  return h('template', { id: `${SLOT_PREFIX}${id}` }) as VNode;
}
const SLOT_PATTERN = new RegExp(`<template id="${SLOT_PREFIX}([^"]+)"></template>`, 'g');
const STAND_IN_PATTERN = new RegExp(`${CSRF_STAND_IN}|${LOGIN_STAND_IN}|${PSEUD_STAND_IN}`, 'g');

function toHtml(slot: WorkPanelSlot, node: VNode | null): string {
  if (node === null) return '';
  const html = renderToString(node);
  // The action bar is a list: each action its own item (an absent one leaves no empty item).
  return slot === 'actions' ? `<li>${html}</li>` : html;
}

/**
 * Where a reader's answers to the panels' questions are kept between pages (src/web/viewer-cache.ts):
 * dropped when a table an answer reads is written, or the work changes.
 */
export interface PanelFactsCache {
  readonly enabled: boolean;
  ticket(): number;
  getFacts(viewerId: number, workId: number): Readonly<Record<string, boolean>> | undefined;
  storeFacts(viewerId: number, workId: number, facts: Readonly<Record<string, boolean>>, ticket: number): void;
  watchFactTables(tables: Iterable<string>): void;
}

/** The tables a SQL expression reads (`from x`, `join x`). */
function tablesRead(expression: string): string[] {
  return [...expression.matchAll(/\b(?:from|join)\s+(?:"?public"?\.)?"?(\w+)"?/gi)].map((m) => m[1]!.toLowerCase());
}

/** The panels registered for the work page, rendered in slot and order. */
export class WorkPanels {
  private readonly panels: WorkPanel[] = [];
  /** Whether the facts cache has been told which tables the panels' questions read. */
  private watching = false;

  /** Questions under way, by reader, work and cache ticket. */
  private readonly asking = new Map<string, Promise<Record<string, boolean>>>();

  constructor(private readonly factsCache?: PanelFactsCache) {}

  /** Every asked panel's question about this reader, in one query. */
  private async ask(db: Kysely<Database>, asked: readonly WorkPanel[], args: ViewerFactArgs): Promise<Record<string, boolean>> {
    const columns = asked.map((p, i) => sql`(${p.personalWhen!(args)}) as ${sql.ref(`p${i}`)}`);
    const question = sql<Record<string, boolean>>`select ${sql.join(columns)}`;
    if (this.factsCache?.enabled && !this.watching) {
      // A write to any table the question reads drops the stored answers (every reader's).
      this.factsCache.watchFactTables(tablesRead(question.compile(db).sql));
      this.watching = true;
    }
    const row = (await question.execute(db)).rows[0] ?? {};
    return Object.fromEntries(asked.map((p, i) => [p.id, row[`p${i}`] === true]));
  }

  register(panel: WorkPanel): void {
    if (this.panels.some((p) => p.id === panel.id)) throw new Error(`work panel ${panel.id} registered twice`);
    this.panels.push(panel);
    this.panels.sort((a, b) => a.order - b.order);
  }

  async render(given: Omit<WorkPanelContext, 'shared'>): Promise<RenderedPanels> {
    const ctx = withSharedLoads(given);
    const rendered = await Promise.all(this.panels.map(async (p) => ({ slot: p.slot, node: await p.render(ctx) })));
    const result: RenderedPanels = { actions: [], beforeText: [], afterText: [] };
    for (const { slot, node } of rendered) if (node) result[slot].push(node);
    return result;
  }

  /**
   * The panels for the cached signed-in page: a placeholder for each, and the common rendering
   * of those that have one, made for COMMON_VIEWER (`given.viewer` and `csrfToken` are replaced).
   */
  async renderShell(given: Omit<WorkPanelContext, 'shared' | 'viewer' | 'csrfToken'>): Promise<PanelShell> {
    const ctx = withSharedLoads({ ...given, viewer: COMMON_VIEWER, csrfToken: () => CSRF_STAND_IN });
    const common = new Map<string, string>();
    await Promise.all(
      this.panels
        .filter((p) => p.personalWhen !== undefined)
        .map(async (p) => {
          common.set(p.id, toHtml(p.slot, await p.render(ctx)));
        }),
    );
    const slots: RenderedPanels = { actions: [], beforeText: [], afterText: [] };
    for (const p of this.panels) slots[p.slot].push(slotElement(p.id));
    return { slots, common };
  }

  /**
   * This viewer's panels for a cached page: one query asks every panel's `personalWhen`; the
   * panels it answers true for, and those without one, are rendered for the viewer (escaped by
   * Preact like any page); the others keep the common rendering.
   */
  async renderPersonal(given: Omit<WorkPanelContext, 'shared'> & { viewer: Viewer }): Promise<Map<string, string>> {
    const ctx = withSharedLoads(given);
    const args: ViewerFactArgs = { viewerId: given.viewer.id, workId: given.work.id, creatorUserIds: given.creatorUserIds };
    const asked = this.panels.filter((p) => p.personalWhen !== undefined);
    const cache = this.factsCache?.enabled ? this.factsCache : undefined;
    const cached = cache?.getFacts(args.viewerId, args.workId);
    let facts: Readonly<Record<string, boolean>> = cached ?? {};
    if (asked.length > 0 && !cached) {
      const ticket = cache?.ticket();
      // Concurrent pages of one reader and work share one question, unless a write came between them.
      const key = `${args.viewerId}:${args.workId}:${ticket ?? 'none'}`;
      let pending = this.asking.get(key);
      if (!pending) {
        pending = this.ask(given.db, asked, args).finally(() => this.asking.delete(key));
        this.asking.set(key, pending);
      }
      facts = await pending;
      if (cache && ticket !== undefined) cache.storeFacts(args.viewerId, args.workId, facts, ticket);
    }
    const personal = new Map<string, string>();
    await Promise.all(
      this.panels
        .filter((p) => p.personalWhen === undefined || facts[p.id])
        .map(async (p) => {
          personal.set(p.id, toHtml(p.slot, await p.render(ctx)));
        }),
    );
    return personal;
  }
}

function withSharedLoads(given: Omit<WorkPanelContext, 'shared'>): WorkPanelContext {
  const loads = new Map<string, Promise<unknown>>();
  return {
    ...given,
    shared<T>(key: string, load: () => Promise<T>): Promise<T> {
      let pending = loads.get(key) as Promise<T> | undefined;
      if (!pending) loads.set(key, (pending = load()));
      return pending;
    },
  };
}

/**
 * Fills a stored page's placeholders: the viewer's own rendering of a panel where there is one,
 * else the common one with the stand-ins for the viewer's token and names replaced by the real
 * ones, escaped. Both kinds of HTML were rendered by Preact, so no user text becomes markup here;
 * the placeholders carry a per-process secret, so no user text can make one.
 */
export function fillPanelSlots(
  html: string,
  shell: { common: ReadonlyMap<string, string> },
  personal: ReadonlyMap<string, string>,
  viewer: { csrfToken: string; login: string; pseudName: string },
): string {
  const swaps: Record<string, string> = {
    [CSRF_STAND_IN]: escapeHtml(viewer.csrfToken),
    [LOGIN_STAND_IN]: escapeHtml(viewer.login),
    [PSEUD_STAND_IN]: escapeHtml(viewer.pseudName),
  };
  return html.replace(SLOT_PATTERN, (_, id: string) => {
    const own = personal.get(id);
    if (own !== undefined) return own;
    return (shell.common.get(id) ?? '').replace(STAND_IN_PATTERN, (standIn) => swaps[standIn]!);
  });
}

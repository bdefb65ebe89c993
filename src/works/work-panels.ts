import type { Kysely } from 'kysely';
import type { VNode } from 'preact';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../web/viewer.ts';
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
}

export type RenderedPanels = Record<WorkPanelSlot, VNode[]>;

/** The panels registered for the work page, rendered in slot and order. */
export class WorkPanels {
  private readonly panels: WorkPanel[] = [];

  register(panel: WorkPanel): void {
    if (this.panels.some((p) => p.id === panel.id)) throw new Error(`work panel ${panel.id} registered twice`);
    this.panels.push(panel);
    this.panels.sort((a, b) => a.order - b.order);
  }

  async render(given: Omit<WorkPanelContext, 'shared'>): Promise<RenderedPanels> {
    const loads = new Map<string, Promise<unknown>>();
    const ctx: WorkPanelContext = {
      ...given,
      shared<T>(key: string, load: () => Promise<T>): Promise<T> {
        let pending = loads.get(key) as Promise<T> | undefined;
        if (!pending) loads.set(key, (pending = load()));
        return pending;
      },
    };
    const rendered = await Promise.all(this.panels.map(async (p) => ({ slot: p.slot, node: await p.render(ctx) })));
    const result: RenderedPanels = { actions: [], beforeText: [], afterText: [] };
    for (const { slot, node } of rendered) if (node) result[slot].push(node);
    return result;
  }
}

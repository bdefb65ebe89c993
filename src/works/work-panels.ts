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

  async render(ctx: WorkPanelContext): Promise<RenderedPanels> {
    const rendered = await Promise.all(this.panels.map(async (p) => ({ slot: p.slot, node: await p.render(ctx) })));
    const result: RenderedPanels = { actions: [], beforeText: [], afterText: [] };
    for (const { slot, node } of rendered) if (node) result[slot].push(node);
    return result;
  }
}

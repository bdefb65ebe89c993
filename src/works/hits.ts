import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { addHits } from './works.repo.ts';
import { addDailyHits } from '../stats/stats.service.ts';

const FLUSH_MS = 5_000;
const MAX_SEEN = 200_000;

/**
 * Counts hits the way AO3 does (one per visitor per work per day), buffered in memory and
 * written in one statement every few seconds, so reading never waits on a write.
 */
export class HitCounter {
  private pending = new Map<number, number>();
  private seen = new Set<string>();
  private day = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly db: Kysely<Database>) {}

  /** Records a visit; the visitor key is hashed with the day so no address is kept. */
  record(workId: number, visitorKey: string): void {
    const today = new Date().toISOString().slice(0, 10);
    if (today !== this.day || this.seen.size > MAX_SEEN) {
      this.day = today;
      this.seen.clear();
    }
    const key = createHash('sha256').update(`${today}:${workId}:${visitorKey}`).digest('base64url').slice(0, 22);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.pending.set(workId, (this.pending.get(workId) ?? 0) + 1);
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS).unref();
  }

  /** Writes the buffered hits now (on a timer, and when the app closes). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await addHits(this.db, batch);
      // Per-day counts for creators' stats (src/stats).
      await addDailyHits(this.db, this.day || new Date().toISOString().slice(0, 10), batch);
    } catch {
      // Hits are statistics: losing one batch on a database hiccup beats failing a page.
    }
  }
}

import { hash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { addHits } from './works.repo.ts';
import { addDailyHits } from '../stats/stats.service.ts';

const FLUSH_MS = 5_000;
const MAX_SEEN = 200_000;
const DAY_MS = 86_400_000;

/**
 * Counts hits the way AO3 does (one per visitor per work per day), buffered in memory and
 * written in one statement every few seconds, so reading never waits on a write.
 *
 * Every stored page served is recorded, so a visit costs a clock read and one SHA-256 (one-shot:
 * a Hash object and a date string per visit took twice that).
 */
export class HitCounter {
  private pending = new Map<number, number>();
  private seen = new Set<string>();
  /** The UTC day being counted (YYYY-MM-DD), and the instants it runs from and to. */
  private day = '';
  private dayStartsAt = 0;
  private dayEndsAt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a visit; the visitor key is hashed with the day so no address is kept. */
  record(workId: number, visitorKey: string): void {
    const at = this.now();
    // A new day starts a new count; a clock set back to an earlier day does too, as it always did.
    if (at >= this.dayEndsAt || at < this.dayStartsAt || this.seen.size > MAX_SEEN) this.startDay(at);
    const key = hash('sha256', `${this.day}:${workId}:${visitorKey}`, 'base64url').slice(0, 22);
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
      await addDailyHits(this.db, this.day || dayOf(this.now()), batch);
    } catch {
      // Hits are statistics: losing one batch on a database hiccup beats failing a page.
    }
  }

  private startDay(at: number): void {
    this.dayStartsAt = at - (at % DAY_MS);
    this.dayEndsAt = this.dayStartsAt + DAY_MS;
    this.day = dayOf(at);
    this.seen.clear();
  }
}

/** The UTC calendar day of an instant, as YYYY-MM-DD. */
function dayOf(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

import type { ServerTimeouts } from '../front-door.ts';
import type { CachedPage } from '../page-cache.ts';

/**
 * What the archive's process and its door processes say to each other (decision 050). Messages go
 * over the fork's IPC channel with the 'advanced' serialization, so Buffers arrive as Uint8Arrays.
 */

/** A stored guest page as a door keeps it: the answers made once, and when to stop or refresh. */
export interface DoorPage {
  readonly key: string;
  readonly workId: number;
  readonly route: string;
  readonly etag: string;
  readonly expiresAt: number;
  readonly refreshAt: number;
  readonly status: number;
  readonly headers: Readonly<Record<string, string | number | string[]>>;
  readonly notModifiedHeaders: Readonly<Record<string, string | number | string[]>>;
  readonly body: Uint8Array;
}

export function toDoorPage(key: string, page: CachedPage): DoorPage {
  return {
    key,
    workId: page.workId,
    route: page.ok.route,
    etag: page.etag,
    expiresAt: page.expiresAt,
    refreshAt: page.refreshAt,
    status: page.ok.status,
    headers: page.ok.headers,
    notModifiedHeaders: page.notModified.headers,
    body: page.body,
  };
}

export interface DoorAddress {
  readonly host: string;
  readonly port: number;
}

/** From the archive's process to a door. */
export type ToDoor =
  | {
      readonly kind: 'start';
      readonly addresses: readonly DoorAddress[];
      readonly trustProxy: boolean;
      readonly timeouts: ServerTimeouts;
      /** Whether the archive logs every request, so the door reports each answer's URL too. */
      readonly logAnswers: boolean;
      readonly pages: readonly DoorPage[];
    }
  | { readonly kind: 'store'; readonly page: DoorPage }
  | { readonly kind: 'delete'; readonly key: string }
  | { readonly kind: 'clear' }
  /** Answered with a 'synced' of the same number once every message before it is applied. */
  | { readonly kind: 'sync'; readonly seq: number }
  /** Stop taking connections, finish what is being sent, exit. */
  | { readonly kind: 'stop' };

/** One answer a door gave: [route, status, seconds, url or '' when not logged]. */
export type DoorAnswerReport = readonly [route: string, status: number, seconds: number, url: string];

/** One guest served a stored page: [workId, client address, user agent]. */
export type DoorVisit = readonly [workId: number, ip: string, userAgent: string];

/** From a door to the archive's process. */
export type FromDoor =
  | { readonly kind: 'ready' }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'synced'; readonly seq: number }
  | { readonly kind: 'served'; readonly visits: readonly DoorVisit[]; readonly answers: readonly DoorAnswerReport[] }
  /**
   * A connection the door does not answer, sent with it as the IPC handle: `head` holds every byte
   * read from it and not yet answered, which the archive's HTTP server reads first.
   */
  | { readonly kind: 'connection'; readonly head: Uint8Array };

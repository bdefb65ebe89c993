// The hosts whose players (podfic, fanvids) a work may embed. The sanitizer keeps an <iframe>,
// <embed>, <audio>, <video>, <source> or <track> only when its URL is on one of them; the page's
// Content-Security-Policy lists the same hosts in frame-src and media-src. Admins change the list
// at /admin/settings; each process holds the list in force here, so the pure sanitizer can read it
// without a database (worker threads are handed it with each task).

/** AO3's embed hosts (its EmbedSanitizer list, 2024), as host names; `www.` is implied for each. */
export const DEFAULT_EMBED_HOSTS: readonly string[] = Object.freeze([
  'archiveofourown.org',
  'archive.org',
  'criticalcommons.org',
  '8tracks.com',
  'podfic.com',
  'soundcloud.com',
  'w.soundcloud.com',
  'open.spotify.com',
  'vidders.net',
  'viddertube.com',
  'vimeo.com',
  'player.vimeo.com',
  'youtube.com',
  'youtube-nocookie.com',
  'player.bilibili.com',
]);

const HOST_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/**
 * An admin's entry as a bare host name (`https://www.YouTube.com/` → `youtube.com`), or null
 * when it is not one (a path, a port, a wildcard, an IP address: none of them is a player host).
 */
export function toEmbedHost(entry: string): string | null {
  let host = entry.trim().toLowerCase();
  host = host.replace(/^https?:\/\//, '').replace(/\/$/, '');
  if (host.startsWith('www.')) host = host.slice(4);
  return HOST_NAME.test(host) ? host : null;
}

/** Whether a URL's host name is on the list (exactly, or with `www.` in front). */
export function isEmbedHostAllowed(hostname: string, hosts: readonly string[]): boolean {
  const host = hostname.toLowerCase();
  const bare = host.startsWith('www.') ? host.slice(4) : host;
  return hosts.includes(bare);
}

/** The CSP sources for the list: each host over https, bare and with `www.`. */
export function toEmbedSources(hosts: readonly string[]): string[] {
  return hosts.flatMap((host) => [`https://${host}`, `https://www.${host}`]);
}

let configured: readonly string[] = DEFAULT_EMBED_HOSTS;

/** Sets the list this process sanitizes with (site settings call it at start and on each change). */
export function configureEmbedHosts(hosts: readonly string[]): void {
  configured = Object.freeze([...hosts]);
}

/** The list this process sanitizes with. */
export function configuredEmbedHosts(): readonly string[] {
  return configured;
}

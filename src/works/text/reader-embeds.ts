// Players as readers first get them: a placeholder (title, host, a link, a button) instead of each
// <iframe>, <embed>, <audio> and <video> of the stored HTML, so that no host hears of a reader
// who did not choose to play. The player itself is not in the page at all until the reader
// clicks (src/web/static/embeds.js builds it then, sandboxed); without JavaScript the link opens
// the media on its host. The stored HTML keeps the players as written (AO3's markup), so edits,
// exports and imports round-trip.
import { escapeHtml, trustHtml, type SafeHtml } from '../../lib/safe-html.ts';
import { configuredEmbedHosts, isEmbedHostAllowed } from './embed-hosts.ts';
import { decodeEntities } from './entities.ts';

/** What embeds.js needs to build the player on click (JSON in the placeholder's data-embed). */
export interface EmbedData {
  kind: 'frame' | 'audio' | 'video';
  src?: string;
  title?: string;
  width?: string;
  height?: string;
  poster?: string;
  loop?: true;
  muted?: true;
  sources?: { src: string; type?: string }[];
  tracks?: { src: string; kind?: string; label?: string; srclang?: string; default?: true }[];
}

const PLAYERS = /<(?:iframe|embed|audio|video)[\s/>]/;
const TOKEN = /<(\/?)([a-z][a-z0-9-]*)((?:\s[^<>]*)?)>|[^<]+/g;
const ATTRIBUTE = /([a-z][a-z0-9-]*)(?:="([^"]*)")?/g;

function attributesOf(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of raw.matchAll(ATTRIBUTE)) out[m[1]!] = decodeEntities(m[2] ?? '');
  return out;
}

function hostOf(url: string | undefined): string | null {
  if (url === undefined) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' ? parsed.hostname : null;
  } catch {
    return null;
  }
}

/** The placeholder for one player; `playable` false when its host has left the list since. */
function placeholder(data: EmbedData, hosts: readonly string[]): string {
  const url = data.src ?? data.sources?.[0]?.src;
  const host = hostOf(url);
  if (url === undefined || host === null) return '';
  const noun = data.kind === 'audio' ? 'Audio' : data.kind === 'video' ? 'Video' : 'Player';
  const title = data.title?.trim() || `${noun} from ${host}`;
  const playable = [data.src, ...(data.sources ?? []).map((s) => s.src)].some((src) => {
    const h = hostOf(src);
    return h !== null && isEmbedHostAllowed(h, hosts);
  });
  const json = escapeHtml(JSON.stringify(data));
  return (
    `<span class="embed" data-embed="${json}">` +
    `<span class="embed-title">${escapeHtml(title)}</span> ` +
    `<span class="embed-host">${noun} from ${escapeHtml(host)}, not loaded until you play it.</span> ` +
    `<a class="embed-link" href="${escapeHtml(url)}" rel="nofollow noopener">Open it on ${escapeHtml(host)}</a>` +
    (playable ? ` <button type="button" class="embed-play" hidden>Play here</button>` : '') +
    '</span>'
  );
}

function frameData(attrs: Record<string, string>): EmbedData {
  const data: EmbedData = { kind: 'frame' };
  if (attrs.src) data.src = attrs.src;
  if (attrs.title) data.title = attrs.title;
  if (attrs.width) data.width = attrs.width;
  if (attrs.height) data.height = attrs.height;
  return data;
}

/**
 * Sanitized chapter HTML with each player replaced by its click-to-load placeholder (players
 * whose host is no longer on `hosts` keep only their link). Linear: one pass over the tokens.
 */
export function toReaderHtml(html: SafeHtml, hosts: readonly string[] = configuredEmbedHosts()): SafeHtml {
  if (!PLAYERS.test(html)) return html;
  let out = '';
  let media: { data: EmbedData; depth: number } | null = null;
  let skipFrame = 0;
  for (const m of html.matchAll(TOKEN)) {
    const [raw, slash, name, rest] = m;
    const closing = slash === '/';
    if (skipFrame > 0) {
      if (name === 'iframe') skipFrame += closing ? -1 : 1;
      continue;
    }
    if (media !== null) {
      // Inside <audio>/<video>: sources and tracks go into the data, fallback content goes.
      if (name === 'audio' || name === 'video') {
        media.depth += closing ? -1 : 1;
        if (media.depth === 0) {
          out += placeholder(media.data, hosts);
          media = null;
        }
        continue;
      }
      const attrs = attributesOf(rest ?? '');
      if (name === 'source' && attrs.src) {
        const source: { src: string; type?: string } = { src: attrs.src };
        if (attrs.type) source.type = attrs.type;
        (media.data.sources ??= []).push(source);
      } else if (name === 'track' && attrs.src) {
        const track: NonNullable<EmbedData['tracks']>[number] = { src: attrs.src };
        if (attrs.kind) track.kind = attrs.kind;
        if (attrs.label) track.label = attrs.label;
        if (attrs.srclang) track.srclang = attrs.srclang;
        if ('default' in attrs) track.default = true;
        (media.data.tracks ??= []).push(track);
      }
      continue;
    }
    if (name === 'iframe' && !closing) {
      out += placeholder(frameData(attributesOf(rest ?? '')), hosts);
      skipFrame = 1;
      continue;
    }
    if (name === 'embed') {
      out += placeholder(frameData(attributesOf(rest ?? '')), hosts);
      continue;
    }
    if ((name === 'audio' || name === 'video') && !closing) {
      const attrs = attributesOf(rest ?? '');
      const data: EmbedData = { kind: name };
      for (const key of ['src', 'title', 'width', 'height', 'poster'] as const) if (attrs[key]) data[key] = attrs[key];
      if ('loop' in attrs) data.loop = true;
      if ('muted' in attrs) data.muted = true;
      media = { data, depth: 1 };
      continue;
    }
    out += raw;
  }
  return trustHtml(out);
}

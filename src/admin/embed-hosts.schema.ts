import { z } from 'zod';
import { toEmbedHost } from '../works/text/embed-hosts.ts';

/** At most this many hosts: each is two CSP sources on every page. */
export const MAX_EMBED_HOSTS = 100;

/**
 * The embed-host form: one host per line, `https://` and `www.` optional. `reset` brings back the
 * built-in list. Lines that are not host names are refused each by name, the text kept.
 */
export const EmbedHostsSchema = z
  .object({
    hosts: z.string().max(10_000, 'The list is at most 10,000 characters.').default(''),
    reset: z.string().optional(),
  })
  .transform((form, ctx) => {
    if (form.reset) return { hosts: null };
    const lines = form.hosts
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '');
    const bad = lines.filter((line) => toEmbedHost(line) === null);
    if (bad.length > 0) {
      const shown = bad
        .slice(0, 5)
        .map((line) => `"${line.slice(0, 60)}"`)
        .join(', ');
      ctx.addIssue({
        code: 'custom',
        path: ['hosts'],
        message: `${bad.length === 1 ? 'This line is' : 'These lines are'} not a host name: ${shown}. Write one host per line, like player.vimeo.com (no path, port or wildcard).`,
      });
      return z.NEVER;
    }
    const hosts = [...new Set(lines.map((line) => toEmbedHost(line)!))];
    if (hosts.length > MAX_EMBED_HOSTS) {
      ctx.addIssue({ code: 'custom', path: ['hosts'], message: `List at most ${MAX_EMBED_HOSTS} hosts (this list has ${hosts.length}).` });
      return z.NEVER;
    }
    return { hosts };
  });

// What an OAuth app may be allowed to do with an account through /api/v1. Personal tokens (made by
// the account's owner on the API tokens page) hold every scope; an app holds only those the
// person allowed on the consent page. Each operation names the one scope it needs
// (docs/decisions/030-oauth-and-api-parity.md).

export const SCOPES = {
  read: 'See your private things: inbox, reading history and list, subscriptions, mutes and blocks, saved searches, stats, drafts and restricted works.',
  'write:works': 'Post, edit, schedule and delete your works, chapters and series, and their work skins.',
  'write:interactions': 'Give kudos, comment, bookmark, mark for later, subscribe, keep your reading position, and manage your inbox.',
  'write:account': 'Change your preferences (reading and email), pseuds, saved searches, mutes and blocks.',
  'write:collections': 'Create and run collections (settings, maintainers, approving works) and add your works to them.',
} as const;

export type Scope = keyof typeof SCOPES;

export const SCOPE_NAMES = Object.keys(SCOPES) as Scope[];

export function isScope(value: string): value is Scope {
  return Object.hasOwn(SCOPES, value);
}

/** The scopes a space-separated request names, or null when one of them is unknown. */
export function parseScopes(raw: string | undefined): Scope[] | null {
  const names = (raw ?? '').split(/\s+/).filter((s) => s !== '');
  if (!names.every(isScope)) return null;
  return [...new Set(names)];
}

import type { Viewer } from '../web/viewer.ts';

/** Saved searches and hidden tags are private: only their owner sees or changes them. */
export function canManageSavedSearches(viewer: Viewer | null, login: string): boolean {
  return viewer !== null && viewer.login.toLowerCase() === login.toLowerCase();
}

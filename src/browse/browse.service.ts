// The browse slice's interface for other slices (listings, feeds, OPDS, the API, tag pages):
// they list visible works through here, never through browse.repo.ts.
export { countVisibleWorks, findVisibleWorks, type ListingFilter } from './browse.repo.ts';

// Tables of one feature slice: tag model: canonical tags, synonyms, parents, wrangling, saved searches (issue 3).
// Each slice declares its tables here, so slices add tables without editing one shared interface.
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface TagTables {}

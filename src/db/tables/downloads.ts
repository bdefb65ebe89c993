// Tables of one feature slice: download cache, feeds and OPDS state, API tokens' limits (issue 6).
// Each slice declares its tables here, so slices add tables without editing one shared interface.
export type DownloadTables = Record<never, never>;

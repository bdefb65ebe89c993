// Tables of one feature slice: kudos, comments, bookmarks, series, subscriptions, inbox, muting and blocking (issue 5).
// Each slice declares its tables here, so slices add tables without editing one shared interface.
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface InteractionTables {}

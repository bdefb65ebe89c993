// Tables of one feature slice: reports, moderation actions, audit log, site settings, invitations, admin posts (issue 7).
// Each slice declares its tables here, so slices add tables without editing one shared interface.
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface ModerationTables {}

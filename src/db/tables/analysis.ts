// Tables of one feature slice: stored story analyses per chapter version (issue 4).
// Each slice declares its tables here, so slices add tables without editing one shared interface.
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface AnalysisTables {}

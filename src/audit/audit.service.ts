// The audit slice's interface for other slices: they record through here, never through audit.repo.ts.
export { recordAudit, type AuditEntry } from './audit.repo.ts';

// The jobs slice's interface for other slices: they enqueue and count through here, never through jobs.repo.ts.
export { countJobs, enqueueJob } from './jobs.repo.ts';

// The worker threads' entry point, in plain JavaScript because it must start the TypeScript loader
// itself: loaders registered in the main thread (bin/fanfold.js, or `--import tsx` in tests) do not
// reliably reach worker threads, and registering tsx again where it is already active is harmless.
import { register } from 'tsx/esm/api';

register();
const { workerEntryPoints } = await import('./heavy-tasks.ts');

export const { convertChapter, analyzeChapter, analyzeDraft, recognizeImport, buildBook, cleanWorkSkin, matchExchange, changeExchange } =
  workerEntryPoints;

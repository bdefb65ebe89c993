// A door process from the sources, for tests: `fanfold door` without the CLI (run under tsx).
import { runDoorProcess } from '../src/web/doors/door-process.ts';

runDoorProcess();

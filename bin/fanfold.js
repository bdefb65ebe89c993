#!/usr/bin/env node
// The `fanfold` command. It runs the compiled copy of src/ that bin/build.js keeps in .build/
// (made on the first command and again whenever a source file changes), so no command pays for
// transpiling TypeScript at start (decision 028). FANFOLD_FROM_SOURCE=1 runs the TypeScript
// through tsx instead (npm run dev does, so `node --watch` sees the source files).
process.setSourceMapsEnabled(true);

let entry;
if (process.env.FANFOLD_FROM_SOURCE !== '1') {
  const { ensureBuilt } = await import('./build.js');
  entry = await ensureBuilt();
}
if (!entry) {
  const { register } = await import('tsx/esm/api');
  register();
  entry = new URL('../src/cli/index.ts', import.meta.url).href;
}
const { main } = await import(entry);
process.exitCode = await main(process.argv.slice(2));

// Compiles src/ into one ESM bundle (code-split per command) with esbuild, so `fanfold` commands
// and `npm start` load JavaScript instead of transpiling TypeScript through tsx at every start
// (decision 028). The bundle lives in .build/ (gitignored) and is made again whenever a file it
// was made from is newer than it: a fresh clone builds on its first command, never from a commit.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = path.resolve(import.meta.dirname, '..');
/** Where the bundle and the prepared database images live (gitignored). */
export const BUILD_DIR = path.join(REPO, '.build');
const OUT_DIR = path.join(BUILD_DIR, 'cli');
const MANIFEST = path.join(OUT_DIR, 'manifest.json');
const ENTRY = path.join(REPO, 'src/cli/index.ts');
/** Files outside the bundle's inputs that change what it compiles to. */
const SETTINGS = ['package.json', 'package-lock.json', 'tsconfig.json', 'bin/build.js'].map((file) => path.join(REPO, file));
/** A file no manifest names is deleted once it is this old (a process still running may load its chunks). */
const KEEP_OLD_MS = 24 * 60 * 60 * 1000;

/**
 * The compiled entry's file URL, building it first when it is missing or older than a source.
 * Returns undefined when the build fails; the caller then runs the TypeScript through tsx.
 */
export async function ensureBuilt({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const current = readManifest();
  const stale = whyStale(current);
  if (!stale) return pathToFileURL(path.join(OUT_DIR, current.entry)).href;
  log(`fanfold: compiling the TypeScript in src/ (${stale})…`);
  const started = Date.now();
  try {
    const built = await build();
    log(`fanfold: compiled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return pathToFileURL(path.join(OUT_DIR, built.entry)).href;
  } catch (error) {
    log(
      `fanfold: compiling failed, running the TypeScript through tsx instead:\n${error instanceof Error ? error.message : String(error)}`,
    );
    return undefined;
  }
}

function readManifest() {
  try {
    return JSON.parse(fs.readFileSync(MANIFEST, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Why the bundle must be made again, or undefined when it is up to date. */
function whyStale(manifest) {
  if (!manifest || !fs.existsSync(path.join(OUT_DIR, manifest.entry))) return 'no compiled copy yet';
  // The bundle holds src/'s absolute paths (see sourceImportMeta): a moved checkout compiles again.
  if (manifest.root !== REPO) return 'the checkout moved';
  for (const file of [...manifest.inputs.map((input) => path.join(REPO, input)), ...SETTINGS]) {
    let stat;
    try {
      stat = fs.statSync(file);
    } catch {
      return `${path.relative(REPO, file)} is gone`;
    }
    // Compared with the build's start: a file saved while it ran counts as newer.
    if (stat.mtimeMs > manifest.startedAt) return `${path.relative(REPO, file)} changed`;
  }
  return undefined;
}

/** Resolves esbuild, which tsx depends on (so it is installed wherever tsx is), without a dependency of our own. */
function loadEsbuild() {
  const require = createRequire(import.meta.url);
  try {
    return require(require.resolve('esbuild'));
  } catch {
    return createRequire(require.resolve('tsx/package.json'))('esbuild');
  }
}

/**
 * A bundled module's import.meta would be the bundle's: each source file keeps its own, so
 * `new URL('./pglite-thread.worker.js', import.meta.url)` and the static folder next to app.ts
 * still point into src/, bundled or not.
 */
const sourceImportMeta = {
  name: 'source-import-meta',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const text = await fs.promises.readFile(args.path, 'utf8');
      const loader = /\.[cm]?tsx$/.test(args.path) ? 'tsx' : /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js';
      if (!text.includes('import.meta')) return { contents: text, loader };
      const contents = text
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(args.path)))
        .replaceAll('import.meta.filename', JSON.stringify(args.path));
      return { contents, loader };
    });
  },
};

/**
 * Packages stay in node_modules, loaded as they are, except the few only our code uses that come as
 * hundreds of small modules (kysely alone is 260 files): bundled, they load as part of one file.
 * Never preact (one copy must render what preact-render-to-string renders) nor anything another
 * package also loads.
 */
const BUNDLED_PACKAGES = /^(kysely|zod)(\/|$)/;
const packagesOutside = {
  name: 'packages-outside',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => (BUNDLED_PACKAGES.test(args.path) ? undefined : { path: args.path, external: true }));
  },
};

/** Builds into .build/cli: content-hashed files written atomically, then the manifest naming them. */
async function build() {
  const esbuild = loadEsbuild();
  const startedAt = Date.now();
  const result = await esbuild.build({
    entryPoints: [ENTRY],
    // The manifest's inputs are relative to the repository, wherever the command runs from.
    absWorkingDir: REPO,
    outdir: OUT_DIR,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    // The oldest Node line the project supports (package.json engines).
    target: 'node22',
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    // Error classes are told apart by name in places; bundling must not rename them.
    keepNames: true,
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    write: false,
    logLevel: 'silent',
    tsconfig: path.join(REPO, 'tsconfig.json'),
    plugins: [packagesOutside, sourceImportMeta],
  });
  fs.mkdirSync(OUT_DIR, { recursive: true });
  // Two processes may build at once: each file is written whole under its final name or not at all.
  for (const file of result.outputFiles) writeAtomically(file.path, file.contents, { skipIfExists: true });
  const entry = Object.entries(result.metafile.outputs).find(([, output]) => output.entryPoint === path.relative(REPO, ENTRY))?.[0];
  if (!entry) throw new Error('esbuild produced no entry file');
  const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.startsWith('node_modules/'));
  const manifest = { entry: path.basename(entry), root: REPO, startedAt, inputs };
  writeAtomically(MANIFEST, JSON.stringify(manifest));
  removeOldFiles(new Set([...result.outputFiles.map((file) => file.path), MANIFEST]));
  return manifest;
}

function writeAtomically(file, contents, { skipIfExists = false } = {}) {
  if (skipIfExists && fs.existsSync(file)) return;
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, contents);
  fs.renameSync(temporary, file);
}

function removeOldFiles(keep) {
  const now = Date.now();
  for (const name of fs.readdirSync(OUT_DIR)) {
    const file = path.join(OUT_DIR, name);
    if (keep.has(file)) continue;
    try {
      if (now - fs.statSync(file).mtimeMs > KEEP_OLD_MS) fs.rmSync(file, { force: true });
    } catch {
      // Another build removed it first.
    }
  }
}

// `node bin/build.js`: build now if anything changed (npm run build).
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const entry = await ensureBuilt({ log: (line) => console.log(line) });
  if (!entry) process.exitCode = 1;
}

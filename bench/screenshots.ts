/**
 * The screenshot review: every page type of the archive (e2e/page-tour.ts), signed out and
 * signed in, at 390 px (a phone) and 1280 px, as full-page PNGs in test-results/screenshots/
 * (gitignored; another folder as the first argument). Runs its own archive on a fresh embedded
 * database and Debian's Chromium, as the browser tests do. Prints each page as it goes and,
 * at the end, the pages that scroll sideways or whose header is taller than one row on a phone.
 *
 *   npm run screenshots [-- folder]
 */
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser, RESULTS_DIR, startArchive } from '../e2e/harness.ts';
import { seedTour, signIn, TOUR_PAGES } from '../e2e/page-tour.ts';

const outDir = path.resolve(process.argv[2] ?? path.join(RESULTS_DIR, 'screenshots'));
const WIDTHS = [390, 1280] as const;

fs.mkdirSync(outDir, { recursive: true });
const started = performance.now();
console.log('Starting an archive and filling it through its forms…');
const archive = await startArchive();
const browser = await launchBrowser().catch(async (error: unknown) => {
  await archive.close();
  throw error;
});
const problems: string[] = [];
try {
  const data = await seedTour(archive);
  const total = TOUR_PAGES.length * WIDTHS.length * 2;
  let n = 0;
  for (const signedIn of [false, true]) {
    for (const width of WIDTHS) {
      const context = await browser.newContext({
        baseURL: archive.url,
        viewport: { width, height: 900 },
        locale: 'en-GB',
        timezoneId: 'UTC',
      });
      if (signedIn) await signIn(context, archive, data);
      const page = await context.newPage();
      for (const pageType of TOUR_PAGES) {
        n++;
        const who = signedIn ? 'signed-in' : 'signed-out';
        const file = path.join(outDir, `${pageType.name}-${width}-${who}.png`);
        const response = await page.goto(pageType.path(data));
        const m = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          header: Math.round(document.querySelector('.site-header')?.getBoundingClientRect().height ?? 0),
        }));
        await page.screenshot({ path: file, fullPage: true });
        const notes: string[] = [];
        if (m.scrollWidth > width) notes.push(`scrolls sideways: ${m.scrollWidth} px wide`);
        if (width === 390 && m.header > 64) notes.push(`header ${m.header} px tall`);
        if (notes.length > 0) problems.push(`${pageType.name} at ${width} px ${who}: ${notes.join(', ')}`);
        const status = response?.status() ?? 0;
        console.log(
          `[${String(n).padStart(2)}/${total}] ${pageType.name.padEnd(13)} ${String(width).padStart(4)} px ${who.padEnd(10)} ${status} → ${path.relative(process.cwd(), file)}${notes.length > 0 ? `  (${notes.join(', ')})` : ''}`,
        );
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
  await archive.close();
}
console.log(
  `\n${TOUR_PAGES.length * WIDTHS.length * 2} screenshots in ${path.relative(process.cwd(), outDir) || '.'} (${((performance.now() - started) / 1000).toFixed(1)} s).`,
);
if (problems.length > 0) {
  console.log(`Layout problems:\n  ${problems.join('\n  ')}`);
  process.exitCode = 1;
} else {
  console.log('No page scrolls sideways; at 390 px every header is one row (at most 64 px).');
}

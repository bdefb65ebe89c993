/**
 * Work skins in a browser: a writer posts a texting fic in HTML, gives it the shipped texting
 * skin, and Chromium styles the messages as bubbles from the skin's own stylesheet, with the
 * site's Content-Security-Policy unchanged and no violation reported. axe-core checks every page.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findExampleSkin } from '../src/work-skins/example-skins.ts';
import { expectNoSeriousA11yViolations, saveScreenshot, screenshotOnFailure, signUpThroughForm, useArchiveAndBrowser } from './harness.ts';

const e2e = useArchiveAndBrowser();

test('the texting skin styles a work from its own stylesheet, with no CSP violation', async () => {
  const { context, page, pageErrors } = await e2e.visit();
  // Registered through the DevTools protocol before any page script, which CSP does not govern.
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const consoleCsp: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) consoleCsp.push(m.text());
  });
  const violations = () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
  try {
    await screenshotOnFailure(page, 'work-skins', async () => {
      await signUpThroughForm(page, 'texting_writer');
      await page.goto('/works/new');
      const field = (name: string) => page.locator(`form [name="${name}"]`);
      await field('title').fill('Read Receipts');
      await field('fandoms').fill('Original Work');
      await field('rating').selectOption('General Audiences');
      await page.locator('form input[name="warnings"][value="No Archive Warnings Apply"]').check();
      await field('text_format').selectOption('html');
      await field('body').fill(findExampleSkin('texting')!.html);
      await Promise.all([page.waitForURL(/\/works\/\d+$/), page.locator('form button[name="action"][value="post"]').click()]);
      const workPath = new URL(page.url()).pathname;
      const bubble = page.locator('#workskin .sent').first();
      await bubble.waitFor();
      const before = await bubble.evaluate((el) => getComputedStyle(el).backgroundColor);
      assert.equal(before, 'rgba(0, 0, 0, 0)', 'no skin yet: the class alone does nothing');

      await page.getByRole('link', { name: 'Work skin' }).click();
      await page.getByRole('heading', { name: 'Work skin for Read Receipts' }).waitFor();
      await expectNoSeriousA11yViolations(page);
      await page.getByLabel('Skin').selectOption({ label: 'Texting (example, copied to your skins)' });
      await Promise.all([page.waitForURL((url) => url.pathname === workPath), page.getByRole('button', { name: 'Save' }).click()]);

      const styles = await page.evaluate(() => {
        const sent = document.querySelector('#workskin .sent')!;
        const received = document.querySelector('#workskin .received')!;
        const s = getComputedStyle(sent);
        const r = getComputedStyle(received);
        return {
          sentBg: s.backgroundColor,
          sentColor: s.color,
          sentFloat: s.cssFloat,
          receivedBg: r.backgroundColor,
          receivedFloat: r.cssFloat,
        };
      });
      assert.deepEqual(styles, {
        sentBg: 'rgb(10, 88, 202)',
        sentColor: 'rgb(255, 255, 255)',
        sentFloat: 'right',
        receivedBg: 'rgb(229, 229, 234)',
        receivedFloat: 'left',
      });
      const links = await page.locator('head link[rel="stylesheet"]').evaluateAll((ls) => ls.map((l) => l.getAttribute('href')));
      assert.ok(links.includes(`${workPath}/skin.css`), `the skin is a stylesheet of its own: ${links.join(', ')}`);
      assert.equal(await page.locator('style, [style]').count(), 0, 'no inline styles anywhere');
      assert.deepEqual(await violations(), []);
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, 'work-skins-texting-1280');

      // A phone: the bubbles stay inside the screen.
      await page.setViewportSize({ width: 390, height: 844 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the skinned page scrolls sideways by ${overflow}px at 390px`);
      await saveScreenshot(page, 'work-skins-texting-390');
      await page.setViewportSize({ width: 1280, height: 900 });

      // The creator's skins: the copy is there, its form shows the example HTML; refusals are listed.
      await page.goto('/skins');
      await expectNoSeriousA11yViolations(page);
      await page.locator('ul.skin-list').first().getByRole('link', { name: 'Texting', exact: true }).click();
      await page.getByRole('heading', { name: /Using the texting skin/ }).waitFor();
      await expectNoSeriousA11yViolations(page);
      await page.setViewportSize({ width: 390, height: 844 });
      const formOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(formOverflow <= 0, `the skin form scrolls sideways by ${formOverflow}px at 390px`);
      await saveScreenshot(page, 'work-skins-form-390');
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.getByLabel('CSS').fill('.sent { position: fixed; color: red }');
      await page.getByRole('button', { name: 'Save skin' }).click();
      await page.getByText('position: fixed is not allowed').waitFor();
      assert.equal(await page.getByLabel('CSS').inputValue(), '.sent { position: fixed; color: red }', 'the text is kept');
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, 'work-skins-refused');

      await page.goto('/users/texting_writer/notifications');
      await expectNoSeriousA11yViolations(page);
      assert.deepEqual(await violations(), []);
      assert.deepEqual(consoleCsp, []);
    });
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
  }
});

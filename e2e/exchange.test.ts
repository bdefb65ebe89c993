import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { TestVisitor } from '../test/app.ts';
import { buildWorkForm } from '../test/factories.ts';
import {
  DEFAULT_PASSWORD,
  expectNoSeriousA11yViolations,
  logInThroughForm,
  saveScreenshot,
  screenshotOnFailure,
  useArchiveAndBrowser,
} from './harness.ts';

const PEOPLE = ['swap_ann', 'swap_ben', 'swap_cat', 'swap_dan'];
/** Each offers one fandom and requests the next one's, so the only full match is a ring. */
const OFFERS = ['Winter Fandom', 'Summer Fandom', 'Winter Fandom', 'Summer Fandom'];
const writers = new Map<string, TestVisitor>();
const base = '/collections/midwinter/exchange';

const e2e = useArchiveAndBrowser({}, async (archive) => {
  const maintainer = await new TestVisitor(archive.app).signUp('swap_mod', DEFAULT_PASSWORD);
  for (const login of PEOPLE) writers.set(login, await new TestVisitor(archive.app).signUp(login, DEFAULT_PASSWORD));
  for (const fandom of ['Winter Fandom', 'Summer Fandom'])
    assert.equal((await maintainer.post('/works', buildWorkForm({ title: `About ${fandom}`, fandoms: fandom }))).statusCode, 303);
  const created = await maintainer.post('/collections', { name: 'midwinter', title: 'Midwinter Swap', anonymous: '1', unrevealed: '1' });
  assert.equal(created.statusCode, 303);
});

const fitsPhone = async (page: Page, path: string) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(path);
  assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390, `no sideways scrolling at 390 px on ${path}`);
  await expectNoSeriousA11yViolations(page);
  await page.setViewportSize({ width: 1280, height: 900 });
};

const submit = (page: Page, name: string) => Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name }).click()]);

test('a maintainer opens an exchange, four sign up, matching runs, assignments arrive, gifts are posted unrevealed, the reveal shows them', async () => {
  const mod = await e2e.visit();
  try {
    await screenshotOnFailure(mod.page, 'exchange-open', async () => {
      const page = mod.page;
      await logInThroughForm(page, 'swap_mod');
      await page.goto(base);
      await expectNoSeriousA11yViolations(page);
      await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: 'Make this collection a gift exchange' }).click()]);
      await page.getByLabel('Fandoms in the tag set').fill('Winter Fandom, No Such Fandom');
      await submit(page, 'Save exchange settings');
      // A tag the archive does not have is refused, and what was typed stays.
      await page.getByText('“No Such Fandom” is not a fandom tag on this archive').first().waitFor();
      assert.equal(await page.getByLabel('Fandoms in the tag set').inputValue(), 'Winter Fandom, No Such Fandom');
      await expectNoSeriousA11yViolations(page);
      await page.getByLabel('Fandoms in the tag set').fill('Winter Fandom, Summer Fandom');
      await submit(page, 'Save exchange settings');
      await page.getByText('The gift exchange settings were saved.').waitFor();
      await expectNoSeriousA11yViolations(page);
      await fitsPhone(page, `${base}/settings`);
      await fitsPhone(page, base);
    });

    for (const [i, login] of PEOPLE.entries()) {
      const visit = await e2e.visit();
      await screenshotOnFailure(visit.page, `exchange-signup-${login}`, async () => {
        const page = visit.page;
        await logInThroughForm(page, login);
        await page.goto(base);
        await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: 'Sign up' }).click()]);
        if (i === 0) {
          await page.locator('[name="request_1_fandom"]').fill('Autumn Fandom');
          await page.locator('[name="offer_1_fandom"]').fill(OFFERS[i]!);
          await submit(page, 'Sign up');
          await page.getByText('"Autumn Fandom" is not in this exchange\'s fandom tags').first().waitFor();
          assert.equal(await page.locator('[name="request_1_fandom"]').inputValue(), 'Autumn Fandom');
          await expectNoSeriousA11yViolations(page);
        }
        await page.locator('[name="request_1_fandom"]').fill(OFFERS[(i + 1) % 4]!);
        await page.locator('[name="offer_1_fandom"]').fill(OFFERS[i]!);
        await submit(page, 'Sign up');
        await page.getByText('You are signed up.').waitFor();
        if (i === 0) {
          await expectNoSeriousA11yViolations(page);
          await fitsPhone(page, `${base}/signup`);
        }
      });
      await visit.context.close();
    }

    // Sign-ups close (the window's end, brought forward rather than waited for).
    await e2e.archive.handle.db
      .updateTable('gift_exchanges')
      .set({ signups_close_at: new Date(Date.now() - 1000) })
      .execute();

    await screenshotOnFailure(mod.page, 'exchange-matching', async () => {
      const page = mod.page;
      await page.goto(`${base}/matching`);
      await submit(page, 'Run matching');
      await page.getByText('Matching started.').waitFor();
      await e2e.archive.app.jobs.drain();
      await page.reload();
      await page.getByText('4 of 4 sign-ups receive a gift').waitFor();
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, 'exchange-matching-1280');
      await fitsPhone(page, `${base}/matching`);
      await submit(page, 'Send assignments');
      await page.getByText('4 assignments were sent.').waitFor();
    });

    for (const login of PEOPLE) {
      const visit = await e2e.visit();
      await screenshotOnFailure(visit.page, `exchange-assignment-${login}`, async () => {
        const page = visit.page;
        await logInThroughForm(page, login);
        await page.goto(`/users/${login}/inbox`);
        await Promise.all([page.waitForLoadState('load'), page.getByText('Your assignment for Midwinter Swap is here').first().click()]);
        const heading = (await page.getByRole('heading', { level: 1 }).textContent()) ?? '';
        const recipient = /Your gift for (\S+)/.exec(heading)?.[1];
        assert.ok(recipient && PEOPLE.includes(recipient) && recipient !== login, heading);
        await page
          .getByText(/Fandoms: (Winter|Summer) Fandom/)
          .first()
          .waitFor();
        await expectNoSeriousA11yViolations(page);
        if (login === PEOPLE[0]) await fitsPhone(page, new URL(page.url()).pathname);
        if (login === PEOPLE[0]) {
          // "Post for my assignment" opens the work form with the assignment chosen.
          const assignmentUrl = page.url();
          await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: 'Post for my assignment' }).click()]);
          await page.getByText(`Posting your gift for ${recipient} in Midwinter Swap`).waitFor();
          await expectNoSeriousA11yViolations(page);
          await page.goto(assignmentUrl);
        }
        const posted = await writers
          .get(login)!
          .post('/works', buildWorkForm({ title: `A Gift For ${recipient}`, fandoms: 'Winter Fandom' }));
        assert.equal(posted.statusCode, 303);
        await page.reload();
        await page.getByLabel('Your work').selectOption({ label: `A Gift For ${recipient}` });
        await Promise.all([page.waitForURL(/\/works\/\d+$/), page.getByRole('button', { name: 'Post for this assignment' }).click()]);
        await page.getByText('Your gift was posted to the exchange.').waitFor();
      });
      await visit.context.close();
    }

    const guest = await e2e.visit();
    await screenshotOnFailure(guest.page, 'exchange-reveal', async () => {
      const page = guest.page;
      await page.goto('/collections/midwinter/works');
      const before = (await page.locator('main').textContent()) ?? '';
      for (const login of PEOPLE) {
        assert.ok(!before.includes(`A Gift For ${login}`), 'unrevealed works are not shown by title');
        assert.ok(!before.includes(login), 'no creator is named before the reveal');
      }
      await expectNoSeriousA11yViolations(page);
      await mod.page.goto('/collections/midwinter');
      await submit(mod.page, 'Reveal now');
      await page.reload();
      for (const login of PEOPLE) {
        await page
          .getByRole('link', { name: `A Gift For ${login}` })
          .first()
          .waitFor();
        await page.locator('main').getByText(login).first().waitFor();
      }
      await expectNoSeriousA11yViolations(page);
      await fitsPhone(page, '/collections/midwinter/works');
    });
  } finally {
    await mod.context.close();
  }
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { TestVisitor } from '../test/app.ts';
import { buildWorkForm } from '../test/factories.ts';
import { DEFAULT_PASSWORD, expectNoSeriousA11yViolations, logInThroughForm, screenshotOnFailure, useArchiveAndBrowser } from './harness.ts';

const base = '/collections/nomfest/exchange';
const iso = (d: Date) => d.toISOString().slice(0, 16);

const e2e = useArchiveAndBrowser({}, async (archive) => {
  const maintainer = await new TestVisitor(archive.app).signUp('nomfest_mod', DEFAULT_PASSWORD);
  await new TestVisitor(archive.app).signUp('nomfest_ann', DEFAULT_PASSWORD);
  for (const fandom of ['Spring Fandom', 'Autumn Fandom', 'Summer Fandom'])
    assert.equal((await maintainer.post('/works', buildWorkForm({ title: `About ${fandom}`, fandoms: fandom }))).statusCode, 303);
  assert.equal((await maintainer.post('/collections', { name: 'nomfest', title: 'Nom Fest' })).statusCode, 303);
  const form: Record<string, string> = {
    opens_at: iso(new Date(Date.now() - 3_600_000)),
    closes_at: iso(new Date(Date.now() + 7 * 86_400_000)),
    requests_min: '1',
    requests_max: '1',
    offers_min: '1',
    offers_max: '1',
    required_request_matches: '1',
    tags_fandom: 'Spring Fandom',
    required_fandom: '1',
    min_fandom: '1',
    max_fandom: '1',
    nominations_fandom: '2',
  };
  for (const type of ['relationship', 'character', 'freeform'])
    Object.assign(form, { [`tags_${type}`]: '', [`required_${type}`]: '0', [`min_${type}`]: '0', [`max_${type}`]: '0' });
  assert.equal((await maintainer.post(`${base}/settings`, form)).statusCode, 303);
});

const submit = (page: Page, name: string) => Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name }).click()]);

test('a participant nominates tags (a wrong one refused, typing kept) and withdraws one, a maintainer approves the other in a review, it joins the tag set and the participant is told', async () => {
  const ann = await e2e.visit();
  try {
    await screenshotOnFailure(ann.page, 'exchange-nominate', async () => {
      const page = ann.page;
      await logInThroughForm(page, 'nomfest_ann');
      await page.goto(base);
      await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: 'Nominate tags for the tag set' }).click()]);
      await expectNoSeriousA11yViolations(page);
      const field = page.getByLabel('Fandoms to nominate (at most 2)');
      await field.fill('Autumn Fandom, Winter Fandom');
      await submit(page, 'Nominate');
      await page.getByText('“Winter Fandom” is not a fandom tag on this archive').first().waitFor();
      assert.equal(await field.inputValue(), 'Autumn Fandom, Winter Fandom');
      await expectNoSeriousA11yViolations(page);
      await field.fill('Autumn Fandom, Summer Fandom');
      await submit(page, 'Nominate');
      await page.getByText('Fandoms: Autumn Fandom (waiting for approval)').waitFor();
      await submit(page, 'Withdraw Summer Fandom');
      await page.getByText('Your nomination of Summer Fandom was withdrawn.').waitFor();
      assert.equal(await page.getByText('Fandoms: Summer Fandom (waiting for approval)').count(), 0);
      await expectNoSeriousA11yViolations(page);
      await page.setViewportSize({ width: 390, height: 844 });
      assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390, 'no sideways scrolling at 390 px');
      await expectNoSeriousA11yViolations(page);
    });
  } finally {
    await ann.context.close();
  }
  const mod = await e2e.visit();
  try {
    await screenshotOnFailure(mod.page, 'exchange-nomination-approve', async () => {
      const page = mod.page;
      await logInThroughForm(page, 'nomfest_mod');
      await page.goto(base);
      await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: 'Tag nominations' }).click()]);
      await expectNoSeriousA11yViolations(page);
      await page.getByRole('radio', { name: 'Approve Autumn Fandom' }).check();
      await submit(page, 'Save decisions');
      await page.getByText('Autumn Fandom joined the tag set.').waitFor();
      await expectNoSeriousA11yViolations(page);
      await page.setViewportSize({ width: 390, height: 844 });
      assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390, 'no sideways scrolling at 390 px');
      await page.goto(base);
      await page.getByText('Spring Fandom, Autumn Fandom').waitFor();
    });
  } finally {
    await mod.context.close();
  }
  const told = await e2e.visit();
  try {
    await screenshotOnFailure(told.page, 'exchange-nomination-notice', async () => {
      const page = told.page;
      await logInThroughForm(page, 'nomfest_ann');
      await page.goto('/users/nomfest_ann/inbox');
      await page
        .getByText('The maintainers of Nom Fest reviewed your tag nominations: approved Autumn Fandom (now in the tag set).')
        .waitFor();
    });
  } finally {
    await told.context.close();
  }
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { TestVisitor } from '../test/app.ts';
import { buildWorkForm } from '../test/factories.ts';
import { DEFAULT_PASSWORD, expectNoSeriousA11yViolations, logInThroughForm, screenshotOnFailure, useArchiveAndBrowser } from './harness.ts';

let workId = 0;

const e2e = useArchiveAndBrowser({}, async (archive) => {
  const mod = await new TestVisitor(archive.app).signUp('meme_runner', DEFAULT_PASSWORD);
  await new TestVisitor(archive.app).signUp('shy_prompter', DEFAULT_PASSWORD);
  const writer = await new TestVisitor(archive.app).signUp('prompt_filler', DEFAULT_PASSWORD);
  const made = await mod.post('/collections', { name: 'summer_meme', title: 'Summer Meme', description: '', rules: '', faq: '' });
  assert.equal(made.statusCode, 303);
  assert.equal((await mod.post('/collections/summer_meme/prompt_meme', { prompts_open: '1' })).statusCode, 303);
  const posted = await writer.post('/works', buildWorkForm({ title: 'Rain on the Harbour' }));
  assert.equal(posted.statusCode, 303);
  workId = Number(/(\d+)$/.exec(String(posted.headers.location))![1]);
});

const fitsPhone = async (page: Page, path: string) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(path);
  assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390, `no sideways scrolling at 390 px on ${path}`);
  await expectNoSeriousA11yViolations(page);
  await page.setViewportSize({ width: 1280, height: 900 });
};

test('a prompt posted anonymously is claimed and filled by another user, and the prompter sees the fill', async () => {
  const prompter = await e2e.visit();
  const writer = await e2e.visit();
  try {
    let promptPath = '';
    await screenshotOnFailure(prompter.page, 'prompt-memes-prompter', async () => {
      const page = prompter.page;
      await logInThroughForm(page, 'shy_prompter');
      await page.goto('/collections/summer_meme/prompts');
      await expectNoSeriousA11yViolations(page);
      await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: 'Post a prompt' }).click()]);
      await page.getByLabel('Title').fill('Lighthouse keepers in love');
      await page.getByLabel('Prompt', { exact: true }).fill('Two keepers, one storm.');
      await expectNoSeriousA11yViolations(page);
      await page.getByLabel('Fandoms').fill('Original Work');
      await page.getByLabel('Additional tags').fill('Fluff');
      await page.getByLabel('Post anonymously').check();
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Post prompt' }).click()]);
      await page.getByText('you, posted anonymously').waitFor();
      promptPath = new URL(page.url()).pathname;
      assert.match(promptPath, /^\/prompts\/\d+$/);
      await expectNoSeriousA11yViolations(page);
      await fitsPhone(page, promptPath);
      await fitsPhone(page, '/collections/summer_meme/prompts');
    });

    await screenshotOnFailure(writer.page, 'prompt-memes-writer', async () => {
      const page = writer.page;
      await logInThroughForm(page, 'prompt_filler');
      await page.goto('/collections/summer_meme/prompts?state=unclaimed&tag=Fluff');
      await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: 'Lighthouse keepers in love' }).click()]);
      assert.match((await page.locator('.byline').textContent()) ?? '', /Prompt by Anonymous in Summer Meme/);
      assert.doesNotMatch(await page.content(), /shy_prompter/);
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Claim this prompt' }).click()]);
      await page.getByLabel('Your work’s number').fill(String(workId));
      await expectNoSeriousA11yViolations(page);
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Fill with this work' }).click()]);
      await page.getByText('Your work fills this prompt.').waitFor();
      await page.getByRole('link', { name: 'Rain on the Harbour' }).waitFor();
      await page.goto(`/works/${workId}`);
      assert.match(
        (await page.locator('.work-prompt').textContent()) ?? '',
        /In response to a prompt \(Lighthouse keepers in love\) by Anonymous in Summer Meme/,
      );
    });

    await screenshotOnFailure(prompter.page, 'prompt-memes-prompter-fill', async () => {
      const page = prompter.page;
      await page.goto(promptPath);
      await page.getByRole('link', { name: 'Rain on the Harbour' }).waitFor();
      assert.match(await page.content(), /prompt_filler/);
      await page.goto('/users/shy_prompter/inbox');
      await page.getByText('prompt_filler filled your prompt “Lighthouse keepers in love” in Summer Meme').first().waitFor();
      await fitsPhone(page, '/collections/summer_meme/prompts?state=filled');
    });
  } finally {
    await prompter.context.close();
    await writer.context.close();
  }
});

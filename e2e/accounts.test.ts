import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  accountArea,
  expectNoSeriousA11yViolations,
  logInThroughForm,
  saveScreenshot,
  screenshotOnFailure,
  signUpThroughForm,
  useArchiveAndBrowser,
} from './harness.ts';

const e2e = useArchiveAndBrowser();

test('a visitor signs up, sees themselves logged in, logs out and logs in again', async () => {
  const { context, page, pageErrors } = await e2e.visit();
  try {
    await screenshotOnFailure(page, 'accounts', async () => {
      await page.goto('/signup');
      await assert.doesNotReject(page.getByRole('heading', { level: 1, name: 'Create an account' }).waitFor());
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, 'accounts-signup');

      await signUpThroughForm(page, 'rosa_reader');
      await page.getByRole('status').filter({ hasText: 'Welcome, rosa_reader!' }).waitFor();
      const account = accountArea(page);
      await account.getByRole('link', { name: 'rosa_reader' }).waitFor();
      await account.getByRole('button', { name: 'Log out' }).waitFor();
      assert.equal(await account.getByRole('link', { name: 'Log in' }).count(), 0, 'no "Log in" link once signed up');
      await saveScreenshot(page, 'accounts-signed-up');

      await account.getByRole('button', { name: 'Log out' }).click();
      await account.getByRole('link', { name: 'Log in' }).waitFor();
      assert.equal(await account.getByRole('link', { name: 'rosa_reader' }).count(), 0, 'the name leaves the header on logging out');
      await page.getByRole('status').filter({ hasText: 'You have logged out.' }).waitFor();

      // A wrong password is refused with a message, and what was typed as the name stays.
      await page.goto('/login');
      await page.getByLabel('User name or email').fill('rosa_reader');
      await page.getByLabel('Password', { exact: true }).fill('not the password');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByText('do not match').waitFor();
      assert.equal(await page.getByLabel('User name or email').inputValue(), 'rosa_reader');
      await expectNoSeriousA11yViolations(page);

      await logInThroughForm(page, 'rosa_reader');
      await account.getByRole('link', { name: 'rosa_reader' }).waitFor();
      await account.getByRole('button', { name: 'Log out' }).waitFor();

      // The profile page is theirs: it offers the account's settings.
      await account.getByRole('link', { name: 'rosa_reader' }).click();
      await page.getByRole('heading', { level: 1, name: 'rosa_reader' }).waitFor();
      await page.getByRole('link', { name: 'Change password' }).waitFor();
      await expectNoSeriousA11yViolations(page);
      assert.deepEqual(pageErrors.map(String), [], 'no script errors in the pages');
    });
  } finally {
    await context.close();
  }
});

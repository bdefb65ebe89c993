import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { expectNoSeriousA11yViolations, saveScreenshot, screenshotOnFailure, signUpThroughForm, useArchiveAndBrowser } from './harness.ts';

const e2e = useArchiveAndBrowser();
const REDIRECT = 'https://shelf.example/callback';

/** Nothing scrolls sideways at this width (the consent and apps pages hold long ids and addresses). */
async function fitsWidth(page: Page, width: number): Promise<void> {
  await page.setViewportSize({ width, height: 900 });
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= width, `${page.url()} scrolls sideways at ${width} px (${scrollWidth} px)`);
}

test('a developer registers an app; a reader allows it with PKCE, sees it on the apps page and revokes it', async () => {
  const developer = await e2e.visit();
  const reader = await e2e.visit();
  try {
    await screenshotOnFailure(reader.page, 'oauth-apps', async () => {
      await signUpThroughForm(developer.page, 'app_maker');
      await developer.page.goto('/oauth/apps');
      await developer.page.getByLabel('App name').fill('Shelf');
      await developer.page.getByLabel('Redirect address').fill(REDIRECT);
      await Promise.all([
        developer.page.waitForURL(/\/oauth\/apps$/),
        developer.page.getByRole('button', { name: 'Register app' }).click(),
      ]);
      const clientId = /ffc_[A-Za-z0-9_-]+/.exec((await developer.page.getByRole('status').textContent()) ?? '')?.[0];
      assert.ok(clientId, 'the notice gives the client_id');
      await expectNoSeriousA11yViolations(developer.page);
      await fitsWidth(developer.page, 390);
      await saveScreenshot(developer.page, 'oauth-apps-developer-phone');

      await signUpThroughForm(reader.page, 'app_user');
      const verifier = randomBytes(32).toString('base64url');
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      const params = new URLSearchParams({
        response_type: 'code',
        client_id: clientId,
        redirect_uri: REDIRECT,
        scope: 'read write:interactions',
        state: 'e2e-state',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      });
      await reader.page.goto(`/oauth/authorize?${params.toString()}`);
      await reader.page.getByRole('heading', { name: 'Allow Shelf to use your account?' }).waitFor();
      await reader.page.getByText('write:interactions').waitFor();
      await expectNoSeriousA11yViolations(reader.page);
      await fitsWidth(reader.page, 390);
      await saveScreenshot(reader.page, 'oauth-consent-phone');
      await fitsWidth(reader.page, 1280);
      await saveScreenshot(reader.page, 'oauth-consent-desktop');

      // The app's address is not on this machine: the request the browser makes for it is what counts (a CSP
      // that blocked the form's redirect would stop it from being made at all).
      // The app's page is answered here, so the browser's navigation ends on it rather than on an error
      // page that could land in the middle of the next navigation.
      await reader.page.route(/^https:\/\/shelf\.example\//, (route) =>
        route.fulfill({ status: 200, contentType: 'text/plain', body: 'Shelf' }),
      );
      const [sent] = await Promise.all([
        reader.page.waitForRequest(/^https:\/\/shelf\.example\//),
        reader.page.getByRole('button', { name: 'Allow' }).click(),
      ]);
      await reader.page.waitForURL(/^https:\/\/shelf\.example\//);
      const arrived = new URL(sent.url());
      assert.equal(arrived.searchParams.get('state'), 'e2e-state');
      assert.match(arrived.searchParams.get('code') ?? '', /^[A-Za-z0-9_-]{43}$/);

      // The app exchanges the code (with its verifier) as its server would.
      const exchanged = await fetch(`${e2e.archive.url}/api/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: arrived.searchParams.get('code')!,
          redirect_uri: REDIRECT,
          client_id: clientId,
          code_verifier: verifier,
        }),
      });
      assert.equal(exchanged.status, 200);
      const { access_token: accessToken } = (await exchanged.json()) as { access_token: string };
      const me = await fetch(`${e2e.archive.url}/api/v1/me`, { headers: { authorization: `Bearer ${accessToken}` } });
      assert.equal(((await me.json()) as { user: { login: string } }).user.login, 'app_user');

      await reader.page.goto('/oauth/apps');
      await reader.page.getByText('read, write:interactions').waitFor();
      await expectNoSeriousA11yViolations(reader.page);
      await fitsWidth(reader.page, 390);
      await saveScreenshot(reader.page, 'oauth-apps-reader-phone');
      await Promise.all([reader.page.waitForURL(/\/oauth\/apps$/), reader.page.getByRole('button', { name: 'Revoke Shelf' }).click()]);
      await reader.page.getByText('You have not allowed any app to use your account.').waitFor();
      const after = await fetch(`${e2e.archive.url}/api/v1/me`, { headers: { authorization: `Bearer ${accessToken}` } });
      assert.equal(after.status, 401, 'the revoked token no longer works');
    });
  } finally {
    await developer.context.close();
    await reader.context.close();
  }
});

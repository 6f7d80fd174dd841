import type { Page } from '@playwright/test';
import { startAzureSession } from './support/azure-session';
import { expect, test } from './support/fixtures';

/**
 * Two people on one machine and a sign-in that expires, as a new user meets them in the Azure tab (browser mode,
 * emulator, real msal-node): sign in by device code, add a second account without signing out, switch back with the
 * account picker (no new sign-in), then the refresh token stops working: the tab says to sign in again and offers
 * the account that still works — at 1024, 1366 and 1600 px without anything wider than the window.
 */
async function deviceCodeSignIn(page: Page, tenant: string, account: string | null): Promise<void> {
  await page.getByTestId('azure-method-device-code').check();
  await page.getByTestId('azure-tenant').fill(tenant);
  await page.getByTestId('azure-sign-in').click();
  const userCode = (await page.getByTestId('azure-user-code').textContent())!.trim();
  const verification = (await page.getByTestId('azure-device-code').getByRole('link').getAttribute('href'))!;
  const codePage = await page.context().newPage();
  await codePage.goto(verification);
  await codePage.getByLabel('Code').fill(userCode);
  if (account) await codePage.getByLabel('Account').fill(account);
  await codePage.getByRole('button', { name: 'Next' }).click();
  await expect(codePage.locator('body')).toContainText('You have signed in');
  await codePage.close();
}

async function fitsAt(page: Page, width: number): Promise<void> {
  await page.setViewportSize({ width, height: 800 });
  expect(await page.evaluate<number>('document.documentElement.scrollWidth'), `nothing wider than the window at ${width} px`).toBeLessThanOrEqual(width);
}

test('two accounts: add one without signing out, switch with the picker, and an expired sign-in asks to sign in again', async ({ appKind, chromiumBrowser }) => {
  test.skip(appKind !== 'browser', 'The Azure specs compose the browser-mode host with the emulator.');
  test.setTimeout(120_000);
  const session = await startAzureSession(chromiumBrowser!, { ignoreHTTPSErrors: true });
  const { emulator, emu, page, models, azure, pageErrors } = session;
  try {
    await models.showTab('azure');
    await deviceCodeSignIn(page, emu.tenant, null);
    await expect(page.getByTestId('azure-account-name')).toHaveText('emulator-user@contoso.test', { timeout: 30_000 });

    // A second person signs in beside the first: Sign out would forget every account, so the tab offers this instead.
    await page.getByTestId('azure-add-account').click();
    await deviceCodeSignIn(page, emu.tenant, 'second-user@contoso.test');
    await expect(page.getByTestId('azure-account-name')).toHaveText('second-user@contoso.test', { timeout: 30_000 });
    await expect(page.getByTestId('azure-signin')).toHaveCount(0);
    const picker = page.getByTestId('azure-account-picker');
    await expect(picker).toContainText('Switch to');
    await expect(picker.getByTestId('azure-use-account')).toHaveText(['emulator-user@contoso.test']);
    for (const width of [1024, 1366, 1600]) await fitsAt(page, width);
    await azure.screenshot('account-picker', page.getByTestId('azure-view'));

    // Back to the first account, without a sign-in page.
    await picker.locator('[data-account="emulator-user@contoso.test"]').click();
    await expect(page.getByTestId('azure-account-name')).toHaveText('emulator-user@contoso.test');
    await expect(azure.workspace(emu.workspace)).toBeVisible();
    await expect(picker.getByTestId('azure-use-account')).toHaveText(['second-user@contoso.test']);

    // Months later: Entra no longer renews the refresh tokens. The tab says to sign in again, in words, and shows the form.
    await emulator.expireRefreshTokens();
    await page.getByTestId('azure-lists-refresh').or(azure.workspace(emu.workspace)).first().click();
    await expect(azure.account).toHaveAttribute('data-signed-in', 'false', { timeout: 30_000 });
    await expect(page.getByTestId('azure-signin')).toBeVisible();
    await expect(page.getByTestId('azure-sign-in-expired')).toContainText('Your Azure sign-in as emulator-user@contoso.test has expired and cannot be renewed without you');
    await expect(page.getByTestId('azure-sign-in-expired')).toContainText('Sign in again');
    // The other account's refresh token expired too: Continue as it says so, and the form stays.
    await expect(page.getByTestId('azure-account-picker')).toContainText('Continue as');
    for (const width of [1024, 1366, 1600]) await fitsAt(page, width);
    expect(pageErrors).toEqual([]);
  } finally {
    await session.stop();
  }
});

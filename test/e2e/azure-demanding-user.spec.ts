import { expect, test } from './support/fixtures';
import { startAzureSession } from './support/azure-session';

/**
 * What a demanding user meets after a deployment runs: a key revealed, then the Keys panel left (another tool) —
 * coming back must not find it on screen; a 5 MB answer, which froze the page for ~40 s when laid out whole (the
 * Invoke panel now shows a prefix and says so, Copy takes it all); an endpoint that answers 403, said as what to
 * ask for instead of "The endpoint answered 403."
 */
test('keys hide when the panel is left, a 5 MB answer keeps the page responsive, a 403 says what to ask for', async ({ appKind, chromiumBrowser }) => {
  test.skip(appKind !== 'browser', 'Composes the browser-mode host with the emulator.');
  test.setTimeout(180_000);
  const session = await startAzureSession(chromiumBrowser!, { ignoreHTTPSErrors: true });
  const { emulator, emu, page, models, azure, pageErrors } = session;
  try {
    await page.setViewportSize({ width: 1024, height: 800 });
    await models.showTab('azure');
    await azure.signInServicePrincipal(emu.tenant, emu.clientId, emu.clientSecret);
    await azure.workspace(emu.workspace).click();
    await azure.registerAndDeploy({ endpoint: 'walk-ep', deployment: 'blue' });
    await expect(azure.operation).toHaveAttribute('data-status', 'succeeded', { timeout: 90_000 });

    // A revealed key does not outlive the panel it was revealed in.
    await azure.showTool('keys');
    await page.getByTestId('azure-key-primary-reveal').click();
    await expect(page.getByTestId('azure-key-primary-value')).not.toHaveText('••••••••••••••••');
    const key = (await page.getByTestId('azure-key-primary-value').textContent())!.trim();
    await azure.showTool('logs');
    await azure.showTool('keys');
    await expect(page.getByTestId('azure-key-primary-value')).toHaveText('••••••••••••••••');
    expect(await page.content()).not.toContain(key);

    // A 5 MB answer: shown in part within seconds, the page answers clicks at once, the rest is one Copy away.
    const rows = Array.from({ length: 160_000 }, (_, i) => `{"variable": ${206.1170654296875 + i}}`);
    const big = `[${rows.join(', ')}]`;
    expect(big.length).toBeGreaterThan(5_000_000);
    await emulator.fault({ kind: 'status', status: 200, target: 'score', message: big });
    await azure.showTool('invoke');
    await page.getByTestId('azure-invoke-sample').click();
    await page.getByTestId('azure-invoke-send').click();
    await expect(azure.answer).toHaveAttribute('data-status', '200', { timeout: 20_000 });
    await expect(page.getByTestId('azure-answer-clipped')).toContainText(/Showing the first .* of 5\u202f\d{3}\u202f\d{3} characters/);
    const shown = await page.getByTestId('azure-answer-body').textContent();
    expect(shown!.length).toBeLessThanOrEqual(200_000);
    expect(big.startsWith(shown!)).toBe(true);
    const started = Date.now();
    await azure.showTool('logs');
    await expect(page.getByTestId('azure-logs')).toBeVisible();
    await azure.showTool('invoke');
    await expect(page.getByTestId('azure-answer-clipped')).toBeVisible();
    expect(Date.now() - started).toBeLessThan(5_000);
    await azure.screenshot('big-answer', azure.answer);

    // A 403 from the endpoint (twice: Preflight reads the key again once) says what permission is missing.
    await emulator.fault({ kind: 'status', status: 403, target: 'score', message: 'Forbidden' }, 2);
    await page.getByTestId('azure-invoke-send').click();
    await expect(azure.answer).toHaveAttribute('data-status', '403');
    await expect(page.getByTestId('azure-answer-explanation')).toContainText('onlineEndpoints/score/action');
    expect(pageErrors).toEqual([]);
  } finally {
    await session.stop();
  }
});

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { sampleModelDir } from '../support/paths';
import { screenshotDir } from './support/app-paths';
import { expect, test } from './support/fixtures';

/**
 * The Targets row as a new user types in it, and the answers once the text moves on: a URL without its scheme is
 * said to be one under the row (and a send says it in the same words, not the CLI's `server:url` syntax), a path that
 * is the other server's scoring route is pointed out, the server choice stays one word wide, and answers shown for
 * text the editor no longer holds say so.
 */

async function openPlayground(page: Page): Promise<void> {
  await page.getByTestId('tab-playground').click();
  await page.getByTestId('fill-example').click();
  await expect(page.getByTestId('playground')).toHaveAttribute('data-validation', 'done');
}

for (const width of [1600, 1024]) {
  test(`a URL target at ${width} px: no scheme, the other server's route, one-word server choice`, async ({ models, app }) => {
    const page = app.page;
    await page.setViewportSize({ width, height: 900 });
    await models.expectModel(sampleModelDir, 'sample-model');
    await openPlayground(page);
    await page.getByTestId('add-url-target').click();
    const row = page.getByTestId('url-target').last();
    const server = row.getByRole('combobox', { name: 'Server the URL speaks for' });
    const url = row.getByRole('textbox', { name: 'Target URL' });
    // The server choice is as wide as its word; the URL gets the rest of the row.
    const serverBox = (await server.boundingBox())!;
    const urlBox = (await url.boundingBox())!;
    expect(serverBox.width).toBeLessThan(160);
    expect(urlBox.width).toBeGreaterThan(serverBox.width * 3);

    await server.selectOption('mlflow');
    await url.fill('127.0.0.1:5858/invocations');
    const hint = row.getByTestId('url-target-hint');
    await expect(hint).toHaveText('URL target "127.0.0.1:5858/invocations" has no http:// or https://: write it as http://127.0.0.1:5858/invocations.');
    await expect(hint).toHaveAttribute('data-kind', 'problem');
    await expect(url).toHaveAttribute('aria-invalid', 'true');
    await page.getByTestId('playground-send').click();
    await expect(page.getByTestId('playground')).toHaveAttribute('data-run', 'error');
    const refusal = page.getByRole('alert').filter({ hasText: 'Could not compare' });
    await expect(refusal.first()).toContainText('write it as http://127.0.0.1:5858/invocations. Nothing was sent.');
    await expect(page.getByTestId('playground')).not.toContainText('write mlflow:http://host:port/path');

    // A real URL, but MLflow's route with the azureml choice: pointed out, not refused.
    await server.selectOption('azureml');
    await url.fill('http://127.0.0.1:5858/invocations');
    await expect(hint).toHaveAttribute('data-kind', 'mismatch');
    // the refusal was about the URL as it was: it goes once the URL is edited
    await expect(refusal).toHaveCount(0);
    await expect(page.getByTestId('playground')).toHaveAttribute('data-run', 'idle');
    await expect(hint).toContainText("/invocations is MLflow's scoring route, but this target is set to azureml");
    await expect(url).toHaveAttribute('aria-invalid', 'false');
    await server.selectOption('mlflow');
    await expect(row.getByTestId('url-target-hint')).toHaveCount(0);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
    await server.selectOption('azureml');
    await mkdir(screenshotDir, { recursive: true });
    await row.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshotDir, `playground-url-hint-${width}.png`) });
  });
}

test('answers shown for text the editor no longer holds say so, until it holds that text again', async ({ models, app }) => {
  const page = app.page;
  await page.setViewportSize({ width: 1024, height: 900 });
  await models.expectModel(sampleModelDir, 'sample-model');
  await openPlayground(page);
  await page.getByTestId('playground-send').click();
  const results = page.getByTestId('compare-results');
  await expect(results).toHaveAttribute('data-stale', 'false');
  await expect(page.getByTestId('results-stale')).toHaveCount(0);
  await expect(page.getByTestId('verdict-sentence')).toContainText('Same predictions');

  // Another format: the verdict is for the Azure body that was sent, not this one.
  await page.getByTestId('format-select').selectOption('dataframe_records');
  await expect(page.getByTestId('playground-editor-content')).toContainText('"dataframe_records"');
  await expect(results).toHaveAttribute('data-stale', 'true');
  await expect(page.getByTestId('results-stale')).toContainText("These answers are for the request as it was sent; the editor's text has changed since.");
  await page.getByTestId('results-stale').scrollIntoViewIfNeeded();
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, 'playground-results-stale-1024.png') });

  // Sent again: fresh.
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('playground')).toHaveAttribute('data-run', 'done');
  await expect(results).toHaveAttribute('data-stale', 'false');
  await expect(page.getByTestId('results-stale')).toHaveCount(0);
});

test("a renamed column: local Azure's root cause and the verdict say which input is missing, not the DataFrame's header", async ({ models, app }) => {
  const page = app.page;
  await page.setViewportSize({ width: 1600, height: 900 });
  await models.expectModel(sampleModelDir, 'sample-model');
  await openPlayground(page);
  const editor = page.getByTestId('playground-editor-content');
  const text = await editor.innerText();
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text.replace('"bmi"', '"bmx"'));
  await expect(page.getByTestId('playground')).toHaveAttribute('data-validation', 'done');
  // As you type: the problem under the editor says what is wrong, and a warning about the whole body ends without a stray "$".
  await expect(page.getByTestId('editor-problems')).toContainText("500: mlflow.exceptions.MlflowException: Failed to enforce the signature: Model is missing inputs ['bmi']");
  await expect(page.getByTestId('editor-problems')).not.toContainText('[2 rows x 10 columns]');
  const whole = page.getByTestId('validation-warnings').locator('li').filter({ hasText: 'Azure answers every scoring failure with the same generic 500' });
  expect((await whole.innerText()).trim()).toMatch(/deployment logs\.$/);
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('playground')).toHaveAttribute('data-run', 'done');
  const azure = page.locator('[data-testid="target-result"][data-target="local:azureml"]');
  await expect(azure).toHaveAttribute('data-status', '500');
  await expect(azure.getByTestId('target-root-cause')).toContainText("Failed to enforce the signature: Model is missing inputs ['bmi']. Note that there were extra inputs: ['bmx']");
  await expect(page.getByTestId('verdict-sentence')).toContainText("local:azureml answers 500 (mlflow.exceptions.MlflowException: Failed to enforce the signature: Model is missing inputs ['bmi']");
  await page.getByTestId('verdict').scrollIntoViewIfNeeded();
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, 'playground-missing-input-1600.png') });
});

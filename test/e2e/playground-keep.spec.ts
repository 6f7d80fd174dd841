import { sampleModelDir } from '../support/paths';
import { expect, test } from './support/fixtures';

/**
 * What is typed in the Playground's side fields survives a visit to another tab: the replay's CSV path and rows per
 * request, the tolerance, a URL target — and "Fill the editor with the first N rows", whose N lived in the panel's
 * own state and came back as 5.
 */
test('the replay and fill fields, the tolerance and a URL target are kept across a tab switch', async ({ models, app }) => {
  const page = app.page;
  await models.expectModel(sampleModelDir, 'sample-model');
  await page.getByTestId('tab-playground').click();
  await expect(page.getByTestId('playground')).toHaveAttribute('data-validation', 'done');

  const typed: Record<string, string> = { 'replay-csv': '/data/rows.csv', 'replay-rows': '7', 'fill-rows': '3', tolerance: '1e-3' };
  for (const [id, value] of Object.entries(typed)) await page.getByTestId(id).fill(value);
  await page.getByTestId('add-url-target').click();
  const url = page.locator('input[placeholder*="inference.ml.azure.com"]').first();
  await url.fill('http://127.0.0.1:9/score');

  await page.getByTestId('tab-overview').click();
  await expect(page.getByTestId('playground')).toHaveCount(0);
  await page.getByTestId('tab-playground').click();
  for (const [id, value] of Object.entries(typed)) await expect(page.getByTestId(id), id).toHaveValue(value);
  await expect(url).toHaveValue('http://127.0.0.1:9/score');
  // The kept N is the one used: the button reads it (3 rows is within 1–10 000, so Fill is enabled).
  await expect(page.getByTestId('fill-from-csv')).toBeEnabled();
});

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { sampleModelDir } from '../support/paths';
import { screenshotDir } from './support/app-paths';
import { expect, test } from './support/fixtures';

/**
 * The app around the playground (issue 10): the shortcuts the issue lists, and light/dark following the OS with an
 * override that the host keeps across a reload.
 */

test('shortcuts: focus the editor, switch format, send, open a model', async ({ models, app }) => {
  const page = app.page;
  await models.expectModel(sampleModelDir, 'sample-model');
  await page.getByTestId('tab-playground').click();
  const pg = page.getByTestId('playground');
  await page.getByTestId('fill-example').click();
  await expect(pg).toHaveAttribute('data-validation', 'done');

  await page.getByTestId('validation').click();
  await page.keyboard.press('Control+E');
  await expect(page.getByTestId('playground-editor-content')).toBeFocused();

  await page.keyboard.press('Control+Shift+F');
  await expect(page.getByTestId('format-select')).toHaveValue('dataframe_split');
  await expect(pg).toHaveAttribute('data-validation', 'done');

  // Outside the editor, Ctrl+Enter sends too.
  await page.getByTestId('validation').click();
  await page.keyboard.press('Control+Enter');
  await expect(pg).toHaveAttribute('data-run', 'done');
  await expect(page.getByTestId('verdict-sentence')).toContainText('Same predictions within 1e-6');

  await page.keyboard.press('Control+O');
  await expect(page.getByTestId('open-path-input')).toBeFocused();
});

test('the theme follows the OS until overridden, and the override survives a reload', async ({ models, app }) => {
  const page = app.page;
  await models.expectModel(sampleModelDir, 'sample-model');
  const html = page.locator('html');
  const bg = (): Promise<string> => page.evaluate<string>('getComputedStyle(document.body).backgroundColor');

  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(html).toHaveAttribute('data-theme', 'dark');
  const dark = await bg();
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(html).toHaveAttribute('data-theme', 'light');
  const light = await bg();
  expect(dark).not.toBe(light);

  // Override: dark while the OS says light, kept by the host across a reload.
  await page.getByTestId('theme-select').selectOption('dark');
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-app-state', 'ready');
  await expect(page.getByTestId('theme-select')).toHaveValue('dark');
  await expect(html).toHaveAttribute('data-theme', 'dark');
  expect(await bg()).toBe(dark);
  await page.getByTestId('tab-playground').click();
  await page.getByTestId('fill-example').click();
  await expect(page.getByTestId('playground')).toHaveAttribute('data-validation', 'done');
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, 'playground-dark.png') });

  // Back to following the OS.
  await page.getByTestId('theme-select').selectOption('system');
  await expect(html).toHaveAttribute('data-theme', 'light');
});

test('the signature grid: the rows as a table, a spreadsheet block pasted in, applied in the editor\'s form', async ({ models, app }) => {
  const page = app.page;
  await models.expectModel(sampleModelDir, 'sample-model');
  await page.getByTestId('tab-playground').click();
  await page.getByTestId('fill-example').click();
  await expect(page.getByTestId('playground')).toHaveAttribute('data-validation', 'done');
  await page.getByTestId('open-grid').click();
  const grid = page.getByTestId('signature-grid');
  await expect(grid.getByTestId('grid-column')).toHaveCount(10);
  await expect(grid.getByTestId('grid-column').first()).toHaveText('age');
  await expect(grid.getByTestId('grid-row')).toHaveCount(2);
  // Three rows of ten cells copied from a spreadsheet (tab-separated), pasted into the first cell.
  const tsv = [1, 2, 3].map((k) => Array.from({ length: 10 }, (_, c) => (k / 100 + c / 1000).toFixed(3)).join('\t')).join('\n');
  await page.evaluate(`(() => {
    const cell = document.querySelector('[aria-label="row 0 age"]');
    const dt = new DataTransfer();
    dt.setData('text/plain', ${JSON.stringify(tsv)});
    cell.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  })()`);
  await expect(grid.getByTestId('grid-row')).toHaveCount(3);
  await expect(page.getByLabel('row 2 s6')).toHaveValue('0.039');
  await page.getByTestId('grid-apply').click();
  await expect(page.getByTestId('format-select')).toHaveValue('azureml');
  await expect(page.getByTestId('playground')).toHaveAttribute('data-validation', 'done');
  await expect(page.getByTestId('validation')).toContainText('3 rows × 10 columns');
  expect(await page.getByTestId('playground-editor-content').innerText()).toContain('0.039');
  await mkdir(screenshotDir, { recursive: true });
  await grid.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: join(screenshotDir, 'playground-grid.png') });
});

test("the command palette offers the formats the Playground's switch offers and every tab the model shows, by its name", async ({ models, app }) => {
  const page = app.page;
  await models.expectModel(sampleModelDir, 'sample-model');
  await page.getByTestId('tab-playground').click();
  await expect(page.getByTestId('playground')).toHaveAttribute('data-validation', 'done');
  const input = page.getByTestId('command-palette-input');
  const commands = page.getByTestId('command');

  // the sample model pins MLflow 2.16.2: the switch has no 1.x forms, so neither has the palette
  const switchForms = await page.getByTestId('format-select').locator('option').allTextContents();
  await page.keyboard.press('Control+Shift+P');
  await input.fill('switch format to');
  const forms = (await commands.allTextContents()).filter((t) => t.startsWith('Playground: switch format to '));
  expect(forms.map((t) => t.replace(/^Playground: switch format to /, ''))).toEqual(switchForms);
  await input.fill('1.x');
  await expect(commands).toHaveCount(0);

  // every tab on the strip, Package and Azure included, under the name it shows
  const strip = (await page.getByRole('tablist', { name: 'Model report' }).getByRole('tab').allTextContents()).map((t) => t.replace(/\d+$/, '').trim());
  await input.fill('go to tab');
  expect((await commands.allTextContents()).filter((t) => t.startsWith('Go to tab: ')).map((t) => t.replace(/^Go to tab: /, ''))).toEqual(strip);
  await input.fill('tab package');
  await expect(commands).toHaveText(['Go to tab: Package']);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('tab-package')).toHaveAttribute('aria-selected', 'true');
});

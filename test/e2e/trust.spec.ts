import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, relative, isAbsolute } from 'node:path';
import { sklearnSkipReason } from '../support/sklearn-models';
import { screenshotDir } from './support/app-paths';
import { expect, test } from './support/fixtures';

/**
 * Model-folder trust: the first Send (Playground) of a Python model from a folder the user has not trusted asks once — naming
 * the folder and why — and runs only on yes; "Don't run" leaves an error that says why. The model is copied out
 * of the temp folder (which the E2E host trusts for the other specs) into a folder outside it: test/e2e/output, or —
 * when the checkout itself lies under the temp folder, as a CI clone may — a folder under the home directory.
 */
const outsideTmp = (dir: string): boolean => {
  const r = relative(tmpdir(), dir);
  return r.startsWith('..') || isAbsolute(r);
};
const untrustedRoot = (): string => [screenshotDir, join(homedir(), '.cache', 'preflight-e2e')].find(outsideTmp) ?? screenshotDir;

test('the first run of a Python model from an untrusted folder asks once, then runs', async ({ models, app, sklearnModels }) => {
  test.skip(sklearnSkipReason !== null, sklearnSkipReason ?? '');
  // Trained once per worker (fixtures.ts); this copy is the test's own.
  const m = sklearnModels!;
  mkdirSync(screenshotDir, { recursive: true });
  const root = untrustedRoot();
  mkdirSync(root, { recursive: true });
  const home = mkdtempSync(join(root, 'untrusted-'));
  const model = join(home, 'diabetes');
  cpSync(m.diabetes, model, { recursive: true });
  const page = app.page;
  try {
    await models.open(model);
    await models.expectModel(model, 'diabetes');
    await page.getByTestId('tab-playground').click();
    const playground = page.getByTestId('playground');
    const e = m.expected.diabetes;
    await page.getByTestId('playground-editor-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(JSON.stringify({ input_data: { columns: e.columns, data: e.rows } }));

    await page.getByTestId('playground-send').click();
    const dialog = page.getByTestId('trust-dialog');
    await expect(dialog).toBeVisible();
    await expect(page.getByTestId('trust-folder')).toHaveText(model);
    await expect(dialog).toContainText('a pickled model is a program');
    await page.screenshot({ path: join(screenshotDir, 'trust-dialog.png') });
    await page.getByTestId('trust-cancel').click();
    await expect(dialog).toHaveCount(0);
    await expect(playground).toHaveAttribute('data-run', 'error');
    await expect(playground).toContainText('runs the Python code in');

    await page.getByTestId('playground-send').click();
    await page.getByTestId('trust-accept').click();
    await expect(playground).toHaveAttribute('data-run', 'done');
    const statuses = page.getByTestId('target-status');
    await expect(statuses).toHaveCount(2);
    for (const s of await statuses.all()) await expect(s).toContainText('200');
    // Remembered: the next Send does not ask.
    await page.getByTestId('playground-send').click();
    await expect(playground).toHaveAttribute('data-run', 'done');
    await expect(dialog).toHaveCount(0);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

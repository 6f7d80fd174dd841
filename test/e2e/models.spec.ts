import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fixture, sampleModelDir } from '../support/paths';
import { wideMlmodel } from '../support/wide-mlmodel';
import { startBrowserHost } from './support/browser-host';
import { dialogPickPath, expect, launchChromium, test } from './support/fixtures';

/**
 * The Models view end to end, in both projects: the sample model opens on start, a real third-party model opens
 * from the path field, bad paths explain themselves, and the recent list works.
 */

// Real path: the recent list stores real paths, so reopening from it shows the resolved folder.
const heartDir = realpathSync(fixture('mlflow-models', 'azureml-examples-heart-classifier'));
const noSignatureDir = fixture('mlflow-models', 'azureml-examples-credit-defaults-no-signature');
const DIABETES_COLUMNS = ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'];
const HEART_COLUMNS = ['age', 'sex', 'cp', 'trestbps', 'chol', 'fbs', 'restecg', 'thalach', 'exang', 'oldpeak', 'slope', 'ca', 'thal'];

test('opens the bundled sample model on start: signature, pinned mlflow, findings', async ({ models }) => {
  await models.expectModel(sampleModelDir, 'sample-model');
  await models.screenshot('sample-overview');

  await models.showTab('signature');
  expect(await models.signatureInputNames()).toEqual(DIABETES_COLUMNS);
  await expect(models.signatureInputs.locator('tbody tr').first()).toContainText('double');
  await expect(models.page.getByTestId('signature-outputs')).toContainText('-1 (any)');
  // a small signature's JSON is in the page while its section is closed (the browser's find reaches it)
  const raw = models.page.getByTestId('signature-raw');
  await expect(raw.locator('.codeblock-label')).toHaveText(['signature.inputs', 'signature.outputs']);
  await expect(raw.locator('code').first()).toContainText('"name": "age"');
  await models.screenshot('sample-signature');

  await models.page.emulateMedia({ colorScheme: 'dark' });
  await models.screenshot('sample-signature-dark');
  await models.page.emulateMedia({ colorScheme: 'light' });

  await models.showTab('onnx');
  const onnxInput = models.page.getByTestId('onnx-inputs').locator('tbody tr').first();
  await expect(onnxInput).toContainText('input');
  await expect(onnxInput).toContainText('tensor(float)');
  await expect(models.page.getByTestId('onnx-file')).toContainText('ai.onnx');
  await models.screenshot('sample-onnx');

  await models.showTab('examples');
  const example = models.page.getByTestId('input-example').filter({ hasText: 'input_example.json' }).first();
  await expect(example).toContainText('"columns"');
  await expect(example).toContainText('"bmi"');
  await models.screenshot('sample-examples');

  await models.showTab('files');
  await expect(models.page.getByTestId('file-tree')).toContainText('model.onnx');
  await expect(models.page.getByTestId('file-tree')).toContainText('MLmodel');

  await models.showTab('environment');
  const mlflowRows = models.dependencyRows('mlflow');
  await expect(mlflowRows.first()).toBeVisible();
  for (const row of await mlflowRows.all()) await expect(row).toContainText(/==\d+\.\d+/);
  await models.screenshot('sample-environment');

  await models.showTab('findings');
  await expect(models.findingsList).toBeVisible();
  await expect(models.finding('mlflow-unpinned')).toHaveCount(0);
  await expect(models.finding('no-signature')).toHaveCount(0);
  await models.screenshot('sample-findings');
});

test('opens a real Azure ML example from the path field and shows its signature, dependencies and findings', async ({ models }) => {
  await models.waitSettled();
  await models.open(heartDir);
  await models.expectModel(heartDir, 'azureml-examples-heart-classifier');

  await models.showTab('signature');
  expect(await models.signatureInputNames()).toEqual(HEART_COLUMNS);
  await expect(models.signatureInputs.locator('tbody tr').filter({ hasText: 'oldpeak' })).toContainText('double');
  await expect(models.signatureInputs.locator('tbody tr').filter({ hasText: 'thal' }).last()).toContainText('string');

  await models.showTab('environment');
  // conda.yaml and requirements.txt both list mlflow without a version.
  await expect(models.dependencyRows('mlflow')).toHaveCount(2);
  await expect(models.dependencyRows('mlflow').first()).toContainText('any version');
  // conda.yaml pins xgboost==1.3.3, requirements.txt xgboost==1.4.2: both rows flagged, the conflict listed.
  await expect(models.dependencyRows('xgboost')).toHaveCount(2);
  for (const row of await models.dependencyRows('xgboost').all()) await expect(row).toContainText('conflict');
  await expect(models.page.getByTestId('conflict-list')).toContainText('xgboost');
  await models.screenshot('heart-environment');

  await models.showTab('findings');
  await expect(models.finding('mlflow-unpinned')).toBeVisible();
  // The evidence names the file that lists mlflow without a version.
  await expect(models.finding('mlflow-unpinned')).toContainText(/(conda\.yaml|requirements\.txt)/);
  await models.screenshot('heart-findings', { readme: true });

  // Verdict first, sources as links a user can open, and the report exported as the same Markdown the CLI prints.
  const verdict = models.page.getByTestId('findings-verdict');
  await expect(verdict).toContainText(/(Not ready|Ready) for Azure ML no-code deployment/);
  await expect(models.finding('environment-files-disagree')).toContainText('xgboost');
  const source = models.finding('mlflow-unpinned').getByTestId('finding-source').first();
  await expect(source).toHaveAttribute('href', /^https:\/\//);
  const [download] = await Promise.all([models.page.waitForEvent('download'), models.page.getByTestId('export-save-markdown').click()]);
  expect(download.suggestedFilename()).toBe('azureml-examples-heart-classifier-preflight.md');
  const markdown = readFileSync((await download.path())!, 'utf8');
  expect(markdown).toMatch(/^# Preflight: azureml-examples-heart-classifier\n/);
  expect(markdown).toContain('### WARNING: The environment files disagree');

  await expect(models.recentItem('azureml-examples-heart-classifier')).toBeVisible();
});

// Found by opening hostile folders: 500 000 requirement lines took 35 s to open and crashed the Environment tab.
test('a requirements.txt of 500 000 lines opens at once: 5 000 read, a problem says so, the table shows 1 000 rows at a time and finds any row', async ({ models }) => {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-e2e-bigreqs-'));
  try {
    cpSync(sampleModelDir, dir, { recursive: true });
    writeFileSync(join(dir, 'requirements.txt'), Array.from({ length: 500_000 }, (_, i) => `pkg${i}==1.0.${i}\n`).join(''));
    const real = realpathSync(dir);
    await models.waitSettled();
    await models.open(real);
    await models.expectModel(real, basename(real));
    await models.showTab('environment');
    const rows = models.dependencyTable.locator('tbody tr[data-testid^="dep-"]');
    await expect(rows).toHaveCount(1000);
    const more = models.page.getByTestId('dependency-table-more');
    await expect(more).toContainText(/4,0\d\d more rows not shown/);
    await more.getByRole('button', { name: 'Show 1,000 more' }).click();
    await expect(rows).toHaveCount(2000);
    // a row past the pages shown is found by the table's filter (the browser's find cannot reach it)
    const filter = models.page.getByTestId('dependency-table-filter');
    await filter.fill('PKG4321=');
    await expect(rows).toHaveCount(1);
    await expect(models.page.getByTestId('dep-pkg4321')).toContainText('1.0.4321');
    await expect(models.page.getByTestId('dependency-table-matches')).toHaveText('1 of 5,000 rows match');
    await models.screenshot('environment-filter');
    await filter.fill('pkg43');
    await expect(rows).toHaveCount(111); // pkg43, pkg430–439, pkg4300–4399
    await filter.fill('no-such-package');
    await expect(models.dependencyTable).toContainText('No row has “no-such-package”.');
    await filter.fill('');
    await expect(rows).toHaveCount(1000);
    await models.showTab('problems');
    await expect(models.page.getByText(/requirements\.txt has more entries than Preflight reads \(5,000 dependencies/)).toBeVisible();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// A 60 000-column signature (MLmodel 3.9 MB, 45 000 lines as PyYAML wraps it) was refused by the YAML entry cap.
test('a 60 000-column model opens: the signature lists every column, one found by the filter', async ({ models }) => {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-e2e-wide-'));
  try {
    cpSync(sampleModelDir, dir, { recursive: true });
    writeFileSync(join(dir, 'MLmodel'), wideMlmodel(60_000));
    const real = realpathSync(dir);
    await models.waitSettled();
    await models.open(real);
    await models.expectModel(real, basename(real));
    await models.showTab('signature');
    await expect(models.signatureInputs).toContainText('column-based · 60,000 column(s)');
    const rows = models.signatureInputs.locator('tbody tr');
    await expect(rows).toHaveCount(1001); // 1 000 rows and the "more" row
    await models.page.getByTestId('signature-inputs-filter').fill('feature_45123');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('feature_45123');
    await expect(models.page.getByTestId('signature-inputs-matches')).toHaveText('1 of 60,000 rows match');
    // its JSON as MLmodel holds it (4.6 million characters indented) is not built until its section is opened
    const raw = models.page.locator('details', { has: models.page.locator('summary', { hasText: 'Signature JSON as written in MLmodel' }) });
    await expect(raw).toHaveCount(1);
    await expect(raw.locator('.codeblock')).toHaveCount(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The same path as the 60 000-column model's, at a size whose opened section a test can afford to lay out.
test('a wide signature\'s JSON as MLmodel holds it is shown, indented, when its section is opened', async ({ models }) => {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-e2e-wide-raw-'));
  try {
    cpSync(sampleModelDir, dir, { recursive: true });
    writeFileSync(join(dir, 'MLmodel'), wideMlmodel(3_000));
    const real = realpathSync(dir);
    await models.waitSettled();
    await models.open(real);
    await models.expectModel(real, basename(real));
    await models.showTab('signature');
    await expect(models.signatureInputs).toContainText('column-based · 3,000 column(s)');
    const raw = models.page.locator('details', { has: models.page.locator('summary', { hasText: 'Signature JSON as written in MLmodel' }) });
    await expect(raw).toHaveCount(1);
    await expect(raw.locator('.codeblock')).toHaveCount(0);
    await raw.locator('summary').click();
    await expect(raw.locator('.codeblock-label')).toHaveText(['signature.inputs', 'signature.outputs']);
    const columns = Array.from({ length: 3_000 }, (_, i) => ({ type: 'double', name: `feature_${i}`, required: true }));
    // Exact text, indentation included (toHaveText would collapse the white space). Its 3 000 columns indented are
    // ~250 000 characters: past what a code block lays out (display-text.ts), so the first whole lines are shown and
    // the note under them says how much there is (Copy takes all of it).
    const full = JSON.stringify(columns, null, 2);
    const shown = (await raw.locator('code').first().textContent()) ?? '';
    expect(shown.length).toBeGreaterThan(150_000);
    expect(full.startsWith(shown) && full[shown.length] === '\n').toBe(true);
    await expect(raw.locator('.codeblock').first()).toContainText(`Showing the first ${shown.length.toLocaleString('en-US').replace(/,/g, '\u202f')} of ${full.length.toLocaleString('en-US').replace(/,/g, '\u202f')} characters`);
    expect(await raw.locator('code').nth(1).textContent()).toBe(JSON.stringify([{ type: 'tensor', 'tensor-spec': { dtype: 'float64', shape: [-1] } }], null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('calls out a model without a signature', async ({ models }) => {
  await models.waitSettled();
  await models.open(noSignatureDir);
  await models.expectModel(noSignatureDir, 'azureml-examples-credit-defaults-no-signature');
  await models.showTab('signature');
  await expect(models.page.getByTestId('no-signature')).toContainText('No signature');
});

test('a path that does not exist shows the error panel, and the next open recovers', async ({ models }) => {
  await models.waitSettled();
  const missing = resolve(sampleModelDir, '..', 'no-such-model-folder');
  await models.open(missing);
  await expect(models.errorPanel).toBeVisible();
  await expect(models.page.getByTestId('error-code')).toHaveText('E_NOT_FOUND');
  await expect(models.page.getByTestId('error-message')).toContainText('no-such-model-folder');
  await expect(models.page.locator('body')).toHaveAttribute('data-app-state', 'error');
  await models.screenshot('error-not-found');

  await models.open(sampleModelDir);
  await models.expectModel(sampleModelDir, 'sample-model');
  await expect(models.errorPanel).toHaveCount(0);
});

test('a file that is not a model folder is refused with a specific error', async ({ models }) => {
  await models.waitSettled();
  await models.open(resolve(heartDir, 'conda.yaml'));
  await expect(models.errorPanel).toBeVisible();
  await expect(models.page.getByTestId('error-code')).toHaveText(/^E_/);
  await expect(models.page.getByTestId('error-message')).toContainText('conda.yaml');
});

test('recent list: reopen a model with a click, forget it with ×', async ({ models }) => {
  await models.waitSettled();
  await models.open(heartDir);
  await models.expectModel(heartDir, 'azureml-examples-heart-classifier');
  await models.open(sampleModelDir);
  await models.expectModel(sampleModelDir, 'sample-model');

  const heart = models.recentItem('azureml-examples-heart-classifier');
  await heart.locator('.recent-open').click();
  await models.expectModel(heartDir, 'azureml-examples-heart-classifier');

  await heart.hover();
  await heart.getByTestId('recent-forget').click();
  await expect(heart).toHaveCount(0);
  await expect(models.recentItem('sample-model')).toBeVisible();
});

test.describe('browser mode only', () => {
  // Decided from the project option, so the electron project skips without launching the app.
  test.skip(({ appKind }) => appKind !== 'browser', 'drives the browser-mode host (scripted picker, WebSocket)');

  test('Browse… opens the folder the host picker returns', async ({ models }) => {
    await models.waitSettled();
    await expect(models.browseButton).toBeVisible();
    await models.browseButton.click();
    await models.expectModel(dialogPickPath, 'azureml-examples-heart-classifier');
  });

  test('dropping a folder explains that drop needs the desktop app', async ({ models }) => {
    await models.waitSettled();
    const dataTransfer = await models.page.evaluateHandle(
      `(() => { const dt = new DataTransfer(); dt.items.add(new File(['x'], 'model-folder')); return dt; })()`,
    );
    await models.page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer });
    await expect(models.notice).toContainText('needs the desktop app');
  });

  test('shows a disconnected banner when the host goes away', async () => {
    // A host of its own, so killing it does not affect the other tests.
    const host = await startBrowserHost({ model: sampleModelDir });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(host.url);
      await expect(page.getByTestId('model-name')).toHaveText('sample-model');
      await host.kill();
      const banner = page.getByTestId('disconnected-banner');
      await expect(banner).toBeVisible();
      await expect(banner).toContainText('Disconnected from the Preflight host');
      await expect(banner).not.toContainText(new URL(host.url).searchParams.get('token')!);
      // What was on screen stays readable while disconnected.
      await expect(page.getByTestId('model-name')).toHaveText('sample-model');
    } finally {
      await browser.close();
      await host.stop();
    }
  });
});

import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleModelDir } from '../support/paths';
import { buildWheel } from '../support/wheels';
import { expect, test } from './support/fixtures';

/**
 * The Package tab end to end (issue 9): the readiness finding that says "package it" leads to the tab; the
 * sample model is packaged against a wheelhouse the test builds, the steps complete and verify says PASS;
 * a missing wheel shows the gap with its chain and writes nothing.
 */
const WHEELS = [
  { name: 'mlflow', version: '2.16.2', requiresDist: ['numpy<2', 'pywin32; sys_platform == "win32"'] },
  { name: 'numpy', version: '1.26.4', tag: 'cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64' },
  { name: 'onnx', version: '1.16.2' },
  { name: 'onnxruntime', version: '1.19.2', tag: 'cp312-cp312-manylinux_2_17_x86_64' },
  { name: 'azureml-inference-server-http', version: '1.4.0' },
  { name: 'mylib', version: '0.3.0' },
];

test('the Package tab packages the sample model offline and verify shows PASS', async ({ models, app }) => {
  const dir = await mkdtemp(join(tmpdir(), 'preflight-e2e-package-'));
  try {
    const wheels = join(dir, 'wheels');
    for (const w of WHEELS) await buildWheel(wheels, w);
    // A copy of the sample whose conda.yaml installs a library from git: the readiness finding points to packaging.
    const model = join(dir, 'sample-model');
    await cp(sampleModelDir, model, { recursive: true });
    const conda = await readFile(join(model, 'conda.yaml'), 'utf8');
    await writeFile(join(model, 'conda.yaml'), conda.replace('  - onnxruntime==1.19.2', '  - onnxruntime==1.19.2\n  - mylib @ git+https://github.com/example/mylib@v0.3.0'));

    await models.open(model);
    await models.expectModel(model, 'sample-model');
    await models.showTab('findings');
    await expect(models.finding('needs-private-link-packaging')).toContainText('preflight package');
    await models.finding('needs-private-link-packaging').getByTestId('finding-open-package').click();
    await expect(app.page.getByTestId('tab-package')).toHaveAttribute('aria-selected', 'true');
    const panel = app.page.getByTestId('package-panel');
    await expect(panel).toBeVisible();
    await expect(app.page.getByTestId('package-out')).toHaveValue(`${model}-offline.tar.gz`);

    // The wheel folder's hint spells the target as the Platform field does (one spelling) and follows the fields.
    const hint = app.page.getByTestId('package-wheels-hint');
    await expect(app.page.getByTestId('package-platform')).toHaveValue('manylinux_2_17_x86_64');
    await expect(hint).toContainText('--python-version 3.12 --platform manylinux_2_17_x86_64');
    await expect(hint).not.toContainText('manylinux2014');
    await app.page.getByTestId('package-platform').fill('manylinux_2_35_x86_64');
    await expect(hint).toContainText('--platform manylinux_2_35_x86_64');
    await app.page.getByTestId('package-platform').fill('manylinux_2_17_x86_64');

    // The git requirement cannot be resolved from wheels: the gap is named, nothing is written.
    await app.page.getByTestId('package-wheels').fill(wheels);
    await expect(hint).toContainText(`-d ${wheels}`);
    // The long command (a real folder path now) wraps inside the form: nothing wider than the window at 1024 px.
    await app.page.setViewportSize({ width: 1024, height: 800 });
    expect(await app.page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1024);
    const hintBox = (await hint.boundingBox())!;
    const panelBox = (await panel.boundingBox())!;
    expect(hintBox.x + hintBox.width).toBeLessThanOrEqual(panelBox.x + panelBox.width + 1);
    await app.page.setViewportSize({ width: 1600, height: 1000 });
    await app.page.getByTestId('package-build').click();
    const summary = app.page.getByTestId('package-summary');
    await expect(summary).toHaveAttribute('data-status', 'failed', { timeout: 30_000 });
    await expect(app.page.getByTestId('package-gaps')).toContainText('mylib @ git+https://github.com/example/mylib@v0.3.0');
    await expect(app.page.getByTestId('package-gaps')).toContainText('direct URL reference');
    await expect(app.page.locator('[data-step="resolve"]')).toHaveAttribute('data-state', 'failed');
    expect(await stat(`${model}-offline.tar.gz`).catch(() => null)).toBeNull();

    // The bundled sample resolves: steps complete, the lock lists every wheel, verify says PASS.
    await models.open(sampleModelDir);
    await models.expectModel(sampleModelDir, 'sample-model');
    await models.showTab('package');
    const out = join(dir, 'sample-offline.tar.gz');
    await app.page.getByTestId('package-wheels').fill(wheels);
    await app.page.getByTestId('package-out').fill(out);
    await app.page.getByTestId('package-build').click();
    await expect(summary).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 });
    await expect(app.page.getByTestId('package-verdict')).toHaveAttribute('data-verdict', 'PASS', { timeout: 30_000 });
    for (const step of ['inspect', 'resolve', 'write', 'verify']) await expect(app.page.locator(`[data-step="${step}"]`)).toHaveAttribute('data-state', 'done');
    await expect(app.page.getByTestId('package-lock')).toContainText('numpy-1.26.4-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl');
    await expect(app.page.getByTestId('package-proof')).toContainText('Not needed on the target (marker false): pywin32');
    await expect(app.page.getByTestId('package-verdict')).toContainText('resolution: 5 packages resolve offline from wheels/');
    expect((await stat(out)).size).toBeGreaterThan(0);
    await models.screenshot('package-pass');

    // In Azure: the verified package is the source; without a sign-in the step says how to get one and does not run.
    await expect(app.page.getByTestId('package-azure-source')).toHaveValue(out);
    await expect(app.page.getByTestId('package-azure-signin')).toHaveAttribute('data-signed-in', 'false');
    await expect(app.page.getByTestId('package-azure-signin')).toContainText('Not signed in to Azure. Sign in on the Azure tab, then press Refresh.');
    await expect(app.page.getByTestId('package-azure-run')).toBeDisabled();

    // "Verify a package file" on a damaged copy: FAIL with the reason.
    const bad = join(dir, 'damaged.tar.gz');
    const bytes = await readFile(out);
    await writeFile(bad, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await app.page.getByTestId('package-open').locator('summary').click();
    await app.page.getByTestId('package-verify-path').fill(bad);
    await app.page.getByTestId('package-verify').click();
    await expect(app.page.getByTestId('package-verdict')).toHaveAttribute('data-verdict', 'FAIL');
    await expect(app.page.getByTestId('package-verdict')).toContainText('the archive is truncated');
    // That file is not the build's: the steps do not claim it was inspected, resolved and written here.
    for (const step of ['inspect', 'resolve', 'write']) await expect(app.page.locator(`[data-step="${step}"]`)).toHaveAttribute('data-state', 'pending');
    await expect(app.page.locator('[data-step="verify"]')).toHaveAttribute('data-state', 'failed');
    await models.screenshot('package-fail');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

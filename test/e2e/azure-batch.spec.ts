import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleModelDir } from '../support/paths';
import { startAzureSession } from './support/azure-session';
import { expect, test } from './support/fixtures';

/** A folder of small CSV files made from the sample model's input example (its rows scaled per file). */
async function inputFolder(dir: string, files: number): Promise<number> {
  const example = JSON.parse(await readFile(join(sampleModelDir, 'input_example.json'), 'utf8')) as { columns: string[]; data: number[][] };
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < files; i++) await writeFile(join(dir, `part-${i}.csv`), `${example.columns.join(',')}\n${example.data.map((r) => r.map((v) => v * (i + 1)).join(',')).join('\n')}\n`);
  return example.data.length * files;
}

/**
 * The Azure tab's Batch endpoints and YAML export against the spec-checked emulator (issue 8, UI part): create a
 * batch endpoint with an MLflow batch deployment of the open model (readiness first, progress in the operations
 * panel), run a job on a local folder, download and preview predictions.csv, replace it only after asking, a job
 * Azure rejects and a job that ends Failed shown as failed, Stop waiting on a job that never ends, and the batch deployment exported as YAML — shown,
 * saved into a folder (replace asked), refused outside the folders browser mode may write to.
 */
test('the Azure tab creates a batch deployment, runs jobs on a folder with a predictions preview, shows failed jobs and exports YAML', async ({ appKind, chromiumBrowser }) => {
  test.skip(appKind !== 'browser', 'The Azure specs compose the browser-mode host with the emulator; the Electron app would need the same cloud file.');
  test.setTimeout(180_000);
  const tmp = await mkdtemp(join(tmpdir(), 'preflight-e2e-azure-batch-'));
  // Outside PREFLIGHT_ALLOW_WRITE (the temp folder) and every model folder: browser mode must refuse it.
  const forbidden = join(homedir(), `.preflight-e2e-forbidden-${Date.now().toString(36)}`);
  const session = await startAzureSession(chromiumBrowser!);
  const { emulator, emu, page, models, azure, pageErrors } = session;
  try {
    await models.showTab('azure');
    await azure.signInServicePrincipal(emu.tenant, emu.clientId, emu.clientSecret);
    await azure.workspace(emu.workspace).click();
    await expect(page.getByTestId('azure-workspace-title')).toHaveText(emu.workspace);

    // The Batch endpoints tab: none yet; create one for the open model — readiness first, then the target.
    await page.getByTestId('tab-azure-batch').click();
    await expect(page.getByTestId('azure-batch-endpoints')).toContainText('No batch endpoints yet');
    await page.getByTestId('azure-batch-new').click();
    const form = page.getByTestId('azure-batch-form');
    await expect(form).toHaveAttribute('data-step', 'findings');
    await expect(form.getByTestId('azure-wizard-findings')).toContainText("MLflow batch deployment should accept this model");
    await form.getByTestId('azure-wizard-next').click();
    await expect(form).toHaveAttribute('data-step', 'target');
    await page.getByTestId('azure-batch-endpoint').fill('9bad');
    await expect(page.getByTestId('azure-batch-problem-endpoint')).toContainText('must start with a letter');
    await expect(page.getByTestId('azure-batch-create')).toBeDisabled();
    await page.getByTestId('azure-batch-endpoint').fill('e2e-batch');
    await expect(page.getByTestId('azure-batch-create')).toBeEnabled();
    await azure.screenshot('batch-form', form);
    await page.getByTestId('azure-batch-create').click();
    await expect(azure.operation).toHaveAttribute('data-status', 'succeeded', { timeout: 90_000 });
    await expect(page.getByTestId('azure-operation-message')).toContainText('Batch deployment default is Succeeded and the default of e2e-batch (model sample-model:1, compute cpu-cluster)');
    await expect(page.getByTestId('azure-phases')).toContainText('Creating or updating batch deployment default');
    await expect(page.locator('[data-testid="azure-batch-endpoint-row"][data-endpoint="e2e-batch"]')).toContainText('default (default)');
    const batchEndpoint = page.getByTestId('azure-batch-endpoint');
    await expect(batchEndpoint.locator('[data-testid="azure-batch-deployment-row"][data-deployment="default"]')).toHaveAttribute('data-state', 'Succeeded');
    await expect(batchEndpoint.locator('[data-testid="azure-batch-deployment-row"]')).toContainText('sample-model:1');

    // A job on a folder of 3 CSV files: upload, job followed to its end, predictions.csv downloaded and previewed.
    const input = join(tmp, 'batch-input');
    const rows = await inputFolder(input, 3);
    const out = join(tmp, 'batch-out');
    await page.getByTestId('azure-batch-input').fill(input);
    await page.getByTestId('azure-batch-out').fill(out);
    await page.getByTestId('azure-batch-run-button').click();
    await expect(azure.operation).toHaveAttribute('data-status', 'running');
    const job = page.getByTestId('azure-batch-job');
    await expect(job).toHaveAttribute('data-status', 'succeeded', { timeout: 60_000 });
    await expect(azure.operation).toHaveAttribute('data-status', 'succeeded');
    await expect(page.getByTestId('azure-phases')).toContainText(/Batch job batchjob-\S+\s*Completed/);
    await expect(page.getByTestId('azure-upload')).toContainText(/of \d/);
    await expect(page.getByTestId('azure-batch-job-status')).toHaveText('Completed');
    await expect(page.getByTestId('azure-batch-job-name')).toHaveText(/^batchjob-/);
    await expect(page.getByTestId('azure-batch-predictions-path')).toHaveText(join(out, 'predictions.csv'));
    const predictions = await readFile(join(out, 'predictions.csv'), 'utf8');
    const [header, ...lines] = predictions.trim().split('\n');
    expect(lines).toHaveLength(rows);
    const preview = page.getByTestId('azure-batch-preview');
    await expect(preview).toContainText(`${rows} of ${rows} rows`);
    await expect(preview.locator('thead th')).toHaveText(header!.split(','));
    await expect(preview.getByTestId('azure-batch-preview-row')).toHaveCount(rows);
    await expect(preview.getByTestId('azure-batch-preview-row').first().locator('td')).toHaveText(lines[0]!.split(','));
    await azure.screenshot('batch-job', job);
    await page.setViewportSize({ width: 1024, height: 800 });
    await azure.screenshot('batch-job', job);
    await page.setViewportSize({ width: 1600, height: 1000 });

    // The same output folder again: the view asks before replacing predictions.csv; nothing runs until then.
    await page.getByTestId('azure-batch-run-button').click();
    await expect(page.getByTestId('azure-batch-overwrite')).toContainText(`${join(out, 'predictions.csv')} exists already`);
    await page.getByTestId('azure-batch-overwrite-yes').click();
    await expect(job).toHaveAttribute('data-status', 'succeeded', { timeout: 60_000 });
    await expect(page.getByTestId('azure-batch-overwrite')).toHaveCount(0);

    // Azure refuses to start the job: its error code and message are shown, the job is marked failed.
    await emulator.fault({ kind: 'status', status: 400, code: 'UserError', message: 'Input data path does not exist or is not accessible.', target: 'batchInvoke' });
    await page.getByTestId('azure-batch-out').fill(join(tmp, 'batch-out-rejected'));
    await page.getByTestId('azure-batch-run-button').click();
    await expect(job).toHaveAttribute('data-status', 'failed', { timeout: 30_000 });
    await expect(page.getByTestId('azure-batch-job-status')).toHaveText('Failed');
    await expect(page.getByTestId('azure-batch-job-error')).toContainText('Starting the batch job failed (400): UserError: Input data path does not exist or is not accessible.');
    await expect(azure.operation).toHaveAttribute('data-status', 'failed');

    // A job that Azure runs and that ends Failed: shown as Failed with its name; no predictions file, no preview.
    await emulator.fault({ kind: 'jobFailed', message: 'ValueError: could not convert string to float' });
    const failedOut = join(tmp, 'batch-out-failed');
    await page.getByTestId('azure-batch-out').fill(failedOut);
    await page.getByTestId('azure-batch-run-button').click();
    await expect(job).toHaveAttribute('data-status', 'failed', { timeout: 60_000 });
    await expect(page.getByTestId('azure-batch-job-status')).toHaveText('Failed');
    await expect(page.getByTestId('azure-batch-job-name')).toHaveText(/^batchjob-/);
    await expect(page.getByTestId('azure-batch-job-error')).toContainText(/Batch job batchjob-\S+ ended Failed\./);
    await expect(page.getByTestId('azure-phases').locator('[data-tone="failed"]')).toContainText('Failed');
    await expect(page.getByTestId('azure-batch-preview')).toHaveCount(0);
    expect(existsSync(join(failedOut, 'predictions.csv'))).toBe(false);
    await azure.screenshot('batch-job-failed', job);
    await page.setViewportSize({ width: 1024, height: 800 });
    await azure.screenshot('batch-job-failed', job);
    await page.setViewportSize({ width: 1600, height: 1000 });

    // A job that never ends: Stop waiting stops Preflight only; the card says the job goes on in Azure.
    await emulator.fault({ kind: 'stuck', operationId: 'BatchJob' });
    await page.getByTestId('azure-batch-out').fill(join(tmp, 'batch-out-stuck'));
    await page.getByTestId('azure-batch-run-button').click();
    await expect(page.getByTestId('azure-phases')).toContainText(/Batch job batchjob-\S+\s*(NotStarted|Preparing|Running)/, { timeout: 30_000 });
    await page.getByTestId('azure-operation-cancel').click();
    await expect(job).toHaveAttribute('data-status', 'cancelled');
    await expect(page.getByTestId('azure-batch-job-status')).toHaveText('Stopped waiting');
    await expect(page.getByTestId('azure-batch-job-error')).toContainText('Azure carries on with it');
    await expect(azure.operation).toHaveAttribute('data-status', 'cancelled');

    // Export YAML of the batch endpoint: the deployment's file names the endpoint, the model and the output.
    await page.getByTestId('tab-batch-yaml').click();
    const exported = page.getByTestId('azure-export');
    await expect(exported.getByTestId('azure-export-file')).toHaveText(['model-sample-model-1.yml', 'batch-endpoint.yml', 'batch-deployment-default.yml']);
    await exported.locator('[data-file="batch-deployment-default.yml"]').click();
    const content = exported.getByTestId('azure-export-content');
    await expect(content).toContainText('modelBatchDeployment.schema.json');
    await expect(content).toContainText('endpoint_name: e2e-batch');
    await expect(content).toContainText('type: model');
    await expect(content).toContainText('model: azureml:sample-model:1');
    await expect(content).toContainText('output_file_name: predictions.csv');
    expect(await content.textContent()).not.toContain(emu.clientSecret);
    const shown = (await content.locator('code').textContent())!;

    // Saved into a folder: every file, byte for byte what was shown; saving again asks before replacing.
    const yamlDir = join(tmp, 'azureml');
    await page.getByTestId('azure-export-folder').fill(yamlDir);
    await page.getByTestId('azure-export-save').click();
    await expect(page.getByTestId('azure-export-saved')).toContainText(`Saved 3 files in ${yamlDir}`);
    expect((await readdir(yamlDir)).sort()).toEqual(['batch-deployment-default.yml', 'batch-endpoint.yml', 'model-sample-model-1.yml']);
    expect(await readFile(join(yamlDir, 'batch-deployment-default.yml'), 'utf8')).toBe(shown);
    await writeFile(join(yamlDir, 'batch-endpoint.yml'), 'edited by hand\n');
    await page.getByTestId('azure-export-save').click();
    await expect(page.getByTestId('azure-export-confirm')).toContainText('model-sample-model-1.yml, batch-endpoint.yml, batch-deployment-default.yml already exist');
    expect(await readFile(join(yamlDir, 'batch-endpoint.yml'), 'utf8')).toBe('edited by hand\n');
    await azure.screenshot('batch-export', exported);
    await page.getByTestId('azure-export-replace').click();
    await expect(page.getByTestId('azure-export-saved')).toContainText('Saved 3 files');
    expect(await readFile(join(yamlDir, 'batch-endpoint.yml'), 'utf8')).toContain('name: e2e-batch');
    await page.setViewportSize({ width: 1024, height: 800 });
    await azure.screenshot('batch-export', exported);
    await page.setViewportSize({ width: 1600, height: 1000 });

    // A folder browser mode was not granted: refused by main, nothing written.
    await page.getByTestId('azure-export-folder').fill(forbidden);
    await page.getByTestId('azure-export-save').click();
    await expect(exported).toContainText('outside the folders this browser-mode session may write to');
    expect(existsSync(forbidden)).toBe(false);
    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
  } finally {
    await session.stop();
    await rm(tmp, { recursive: true, force: true });
    await rm(forbidden, { recursive: true, force: true });
  }
});

import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleModelDir } from '../support/paths';
import { expect, test } from './support/fixtures';

/**
 * Saved requests as plain files (issue 10): import a request from curl, save it into a folder (the key never lands
 * in the file), rename it, and open it back into the playground.
 */

test('import from curl, save to a folder without the key, rename, open back', async ({ models, app }) => {
  const page = app.page;
  const dir = await mkdtemp(join(tmpdir(), 'preflight-e2e-collection-'));
  try {
    await models.expectModel(sampleModelDir, 'sample-model');
    await page.getByTestId('tab-playground').click();
    await page.getByTestId('fill-example').click();
    await expect(page.getByTestId('playground')).toHaveAttribute('data-validation', 'done');
    await page.getByTestId('collections').locator('summary').click();

    await page.getByTestId('curl-input').fill(`curl -X POST 'https://ep.westeurope.inference.ml.azure.com/score' \\
  -H 'Content-Type: application/json' -H 'Authorization: Bearer sk-e2e-secret' -H 'azureml-model-deployment: blue' \\
  -d '{"input_data": {"columns": ["age","sex","bmi","bp","s1","s2","s3","s4","s5","s6"], "data": [[0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1.0]]}}'`);
    await page.getByTestId('curl-import').click();
    await expect(page.getByTestId('curl-note')).toContainText('Imported POST https://ep.westeurope.inference.ml.azure.com/score as an Azure ML target with its body, 2 headers.');
    await expect(page.getByTestId('url-target').getByRole('textbox')).toHaveValue('https://ep.westeurope.inference.ml.azure.com/score');
    await expect(page.getByTestId('playground')).toHaveAttribute('data-validation', 'done');
    expect(await page.getByTestId('playground-editor-content').innerText()).toMatch(/0\.1,\s*0\.2,\s*0\.3/);

    await page.getByTestId('collection-folder').fill(dir);
    await page.getByTestId('collection-name').fill('Endpoint smoke test');
    await page.getByTestId('collection-save').click();
    await expect(page.getByTestId('collection-message')).toHaveText('Saved endpoint-smoke-test.request.json. Left out of the file: the value of Authorization.');
    const text = await readFile(join(dir, 'endpoint-smoke-test.request.json'), 'utf8');
    expect(text).not.toContain('sk-e2e-secret');
    expect(text).toContain('"value": "blue"');

    await page.getByTestId('collection-rename').click();
    await page.getByTestId('collection-rename-input').fill('Blue deployment');
    await page.getByTestId('collection-rename-ok').click();
    await expect(page.getByTestId('collection-entry')).toHaveAttribute('data-file', 'blue-deployment.request.json');
    expect(await readdir(dir)).toEqual(['blue-deployment.request.json']);

    await page.getByTestId('fill-example').click();
    await page.getByTestId('url-target').getByRole('button', { name: 'Remove target' }).click();
    await page.getByTestId('collection-open').click();
    // the key imported from curl is still in the headers: the saved request (which left it out) keeps it
    await expect(page.getByTestId('collection-message')).toHaveText('Opened "Blue deployment". Authorization keeps the value you typed.');
    expect(await page.getByLabel('Header value').evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value))).toContain('Bearer sk-e2e-secret');
    await expect(page.getByTestId('url-target')).toHaveCount(1);
    await expect(page.getByTestId('playground')).toHaveAttribute('data-validation', 'done');
    expect(await page.getByTestId('playground-editor-content').innerText()).toMatch(/0\.1,\s*0\.2,\s*0\.3/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleModelDir } from '../support/paths';
import { startAzureSession } from './support/azure-session';
import { expect, test } from './support/fixtures';

/**
 * The Azure tab end to end against the spec-checked emulator (issue 8): the browser-mode host composed with the
 * emulator's cloud file, service-principal sign-in, the workspace tree (private link flagged, pointing to the
 * Package tab), the Register & deploy wizard on the sample model to a running deployment, invoke (200 and a
 * decoded 424), keys kept in main until revealed, logs, a deploy stuck in Creating that the user stops waiting
 * for, and delete.
 */
test('the Azure tab signs in, deploys the sample model, invokes it, reads logs and deletes the endpoint', async ({ appKind, chromiumBrowser }) => {
  test.skip(appKind !== 'browser', 'The Azure spec composes the browser-mode host with the emulator; the Electron app would need the same cloud file.');
  test.setTimeout(180_000);
  const tmp = await mkdtemp(join(tmpdir(), 'preflight-e2e-azure-'));
  // The emulator's sign-in pages use a per-run CA this browser does not know (a user's browser trusts Microsoft's).
  const session = await startAzureSession(chromiumBrowser!, { ignoreHTTPSErrors: true });
  const { emulator, emu, context, page, models, azure, pageErrors } = session;
  try {
    // The playground's "+ Azure endpoint" says where to sign in while nobody is signed in.
    await page.getByTestId('tab-playground').click();
    await page.getByTestId('add-azure-target').click();
    await expect(page.getByTestId('azure-picker')).toContainText('sign in on the Azure tab');
    await page.getByTestId('add-azure-target').click();
    await expect(page.getByTestId('azure-picker')).toHaveCount(0);

    // Sign in with the emulator's service principal; the secret goes to main and is not kept by the page.
    await models.showTab('azure');
    await expect(page.getByTestId('azure-signin')).toBeVisible();
    await expect(azure.account).toContainText('PreflightEmulator');
    await azure.signInServicePrincipal(emu.tenant, emu.clientId, emu.clientSecret);
    await expect(page.getByTestId('azure-account-name')).toHaveText(emu.clientId);
    expect(await page.content()).not.toContain(emu.clientSecret);

    // The tree: the public workspace and the private-link one, flagged, which leads to the Package tab.
    await expect(azure.workspace(emu.workspace)).toHaveAttribute('data-private-link', 'false');
    const privateWs = page.locator('[data-testid="azure-workspace"][data-private-link="true"]');
    await expect(privateWs).toHaveCount(1);
    await privateWs.click();
    await expect(page.getByTestId('azure-private-link')).toContainText('public network access disabled');
    await expect(page.getByTestId('azure-register-deploy')).toBeDisabled();
    await page.getByTestId('azure-private-link').getByTestId('azure-open-package').click();
    await expect(page.getByTestId('tab-package')).toHaveAttribute('aria-selected', 'true');
    await models.showTab('azure');
    await azure.workspace(emu.workspace).click();
    await expect(page.getByTestId('azure-workspace-title')).toHaveText(emu.workspace);
    await expect(page.getByTestId('azure-endpoints')).toContainText('No online endpoints yet');

    // Register & deploy: findings first, target, review, then the operation to a running deployment.
    await azure.registerAndDeploy({ endpoint: 'e2e-ep', deployment: 'blue', screenshot: 'wizard' });
    await expect(azure.operation).toHaveAttribute('data-status', 'running');
    await expect(azure.operation).toHaveAttribute('data-status', 'succeeded', { timeout: 90_000 });
    await expect(page.getByTestId('azure-operation-message')).toContainText('Deployment blue is Succeeded with 100 % of e2e-ep');
    await expect(page.getByTestId('azure-upload')).toContainText(/of \d/);
    await expect(page.getByTestId('azure-phases').locator('[data-tone="done"]').first()).toBeVisible();
    await expect(page.getByTestId('azure-phases')).not.toContainText('Failed');
    await expect(azure.endpointRow('e2e-ep')).toContainText('blue 100 %');
    await expect(azure.deploymentRow('blue')).toHaveAttribute('data-state', 'Succeeded');
    await expect(page.getByTestId('azure-models')).toContainText('sample-model');
    await azure.screenshot('deployed');

    // Export YAML of the deployment: what `az ml online-deployment create -f` takes, then saved into a folder.
    await azure.showTool('yaml');
    const exported = page.getByTestId('azure-export');
    await expect(exported.getByTestId('azure-export-file')).toContainText(['model-sample-model-1.yml', 'endpoint.yml', 'deployment-blue.yml']);
    await exported.locator('[data-file="deployment-blue.yml"]').click();
    const yaml = exported.getByTestId('azure-export-content');
    await expect(yaml).toContainText('managedOnlineDeployment.schema.json');
    await expect(yaml).toContainText('endpoint_name: e2e-ep');
    await expect(yaml).toContainText('model: azureml:sample-model:1');
    await expect(yaml).toContainText('instance_type: Standard_DS3_v2');
    const yamlDir = join(tmp, 'online-yaml');
    await page.getByTestId('azure-export-folder').fill(yamlDir);
    await page.getByTestId('azure-export-save').click();
    await expect(page.getByTestId('azure-export-saved')).toContainText(`in ${yamlDir}`);
    expect(await readFile(join(yamlDir, 'deployment-blue.yml'), 'utf8')).toBe(await yaml.locator('code').textContent());
    await azure.screenshot('export-yaml', exported);
    await azure.showTool('invoke');

    // Invoke with the model's example: 200 with x-request-id; then a model failure Azure reports as 424.
    await page.getByTestId('azure-invoke-sample').click();
    await expect(page.getByTestId('azure-invoke-body')).toHaveValue(/input_data/);
    await page.getByTestId('azure-invoke-send').click();
    await expect(azure.answer).toHaveAttribute('data-status', '200');
    await expect(page.getByTestId('azure-answer-request-id')).not.toHaveText('—');
    await expect(page.getByTestId('azure-answer-body')).toContainText(/"variable": -?\d/);
    await emulator.fault({ kind: 'modelError', modelStatus: 500, reason: 'ValueError: could not convert string to float' });
    await page.getByTestId('azure-invoke-send').click();
    await expect(azure.answer).toHaveAttribute('data-status', '424');
    await expect(page.getByTestId('azure-answer-model-errors')).toContainText('ValueError: could not convert string to float');
    await expect(page.getByTestId('azure-answer-explanation')).not.toBeEmpty();
    await azure.screenshot('invoke-424', azure.answer);

    // Keys: Copy stays in main (browser mode: the host's terminal); Reveal is the explicit way to see one.
    await azure.showTool('keys');
    await page.getByTestId('azure-key-primary-copy').click();
    await expect(page.getByTestId('azure-key-message')).toContainText('terminal');
    await expect(page.getByTestId('azure-key-primary-value')).toHaveText('••••••••••••••••');
    await page.getByTestId('azure-key-primary-reveal').click();
    await expect(page.getByTestId('azure-key-primary-value')).not.toHaveText('••••••••••••••••');
    expect((await page.getByTestId('azure-key-primary-value').textContent())!.length).toBeGreaterThan(16);
    await page.getByTestId('azure-key-primary-hide').click();
    await expect(page.getByTestId('azure-key-primary-value')).toHaveText('••••••••••••••••');

    // The playground: the deployment as an azure:<endpoint>/<deployment> target beside local:azureml. Main adds
    // the key; the page shows a placeholder, and the result agrees with the local run.
    await page.getByTestId('azure-key-primary-reveal').click();
    const primaryKey = (await page.getByTestId('azure-key-primary-value').textContent())!.trim();
    await page.getByTestId('azure-key-primary-hide').click();
    await page.getByTestId('tab-playground').click();
    await page.getByTestId('fill-example').click();
    await page.getByTestId('target-local-mlflow').uncheck();
    await page.getByTestId('add-azure-target').click();
    await expect(page.getByTestId('azure-picker')).toContainText(`Online endpoints of ${emu.workspace}`);
    await page.setViewportSize({ width: 1024, height: 800 });
    await azure.screenshot('playground-azure-picker', page.getByRole('region', { name: 'Targets' }));
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.getByTestId('azure-pick-e2e-ep-blue').click();
    await expect(page.getByTestId('azure-target')).toHaveText(/azure:e2e-ep\/blue/);
    await page.getByTestId('playground-send').click();
    const cloudResult = page.locator('[data-testid="target-result"][data-target="azure:e2e-ep/blue"]');
    await expect(cloudResult).toHaveAttribute('data-status', '200', { timeout: 30_000 });
    await expect(page.getByTestId('verdict-sentence')).toContainText('Same predictions within 1e-6');
    await cloudResult.getByTestId('target-sent').locator('summary').click();
    await expect(cloudResult.getByTestId('target-sent')).toContainText('<hidden: endpoint key>');
    await azure.screenshot('playground-azure-target', cloudResult);
    expect(await page.content()).not.toContain(primaryKey);
    await models.showTab('azure');

    // Logs of the deployment with the traffic.
    await azure.showTool('logs');
    await page.getByTestId('azure-logs-refresh').click();
    await expect(page.getByTestId('azure-logs-text')).not.toBeEmpty();
    await expect(page.getByTestId('azure-logs')).toContainText('blue');
    await azure.screenshot('logs', page.getByTestId('azure-logs-text'));
    await page.setViewportSize({ width: 1024, height: 800 });
    await azure.screenshot('logs', page.getByTestId('azure-logs-text'));
    await page.setViewportSize({ width: 1600, height: 1000 });

    // A second deployment stuck in Creating: the user stops waiting, and the view says Azure goes on.
    await emulator.fault({ kind: 'stuck', operationId: 'OnlineDeployments_CreateOrUpdate' });
    await azure.registerAndDeploy({ endpoint: 'e2e-ep', existing: true, deployment: 'green' });
    await expect(page.getByTestId('azure-phases')).toContainText('Creating', { timeout: 30_000 });
    await page.setViewportSize({ width: 1024, height: 800 });
    await azure.screenshot('stuck', azure.operation);
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.getByTestId('azure-operation-cancel').click();
    await expect(azure.operation).toHaveAttribute('data-status', 'cancelled');
    await expect(page.getByTestId('azure-operation-message')).toContainText('Azure carries on');

    // Delete with the typed confirmation.
    await azure.endpointRow('e2e-ep').click();
    await page.getByTestId('azure-delete').click();
    await expect(page.getByTestId('azure-delete-confirm-button')).toBeDisabled();
    await page.getByTestId('azure-delete-name').fill('e2e-ep');
    await page.getByTestId('azure-delete-confirm-button').click();
    await expect(azure.operation).toHaveAttribute('data-status', 'succeeded', { timeout: 60_000 });
    await expect(page.getByTestId('azure-operation-message')).toContainText('Endpoint e2e-ep and its deployments are deleted');
    await expect(azure.endpointRow('e2e-ep')).toHaveCount(0);
    await azure.screenshot('deleted');

    // Sign out clears the session: the sign-in form is back. Device code: the code and page are shown; the
    // user enters the code there (another tab here) and the view signs in.
    await page.getByTestId('azure-sign-out').click();
    await expect(azure.account).toHaveAttribute('data-signed-in', 'false');
    await page.getByTestId('azure-method-device-code').check();
    await page.getByTestId('azure-tenant').fill(emu.tenant);
    await page.getByTestId('azure-sign-in').click();
    const userCode = (await page.getByTestId('azure-user-code').textContent())!.trim();
    expect(userCode).toMatch(/^[A-F0-9]{6}-[A-F0-9]{4}$/);
    await page.setViewportSize({ width: 1024, height: 800 });
    await azure.screenshot('device-code');
    await page.setViewportSize({ width: 1600, height: 1000 });
    const verification = (await page.getByTestId('azure-device-code').getByRole('link').getAttribute('href'))!;
    const codePage = await context.newPage();
    await codePage.goto(verification);
    await codePage.getByLabel('Code').fill(userCode);
    await codePage.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByTestId('azure-account-name')).toHaveText('emulator-user@contoso.test', { timeout: 30_000 });
    await codePage.close();

    // System browser: the view offers the sign-in page as a link (browser mode cannot open a browser itself).
    await page.getByTestId('azure-sign-out').click();
    await page.getByTestId('azure-method-interactive').check();
    await page.getByTestId('azure-tenant').fill(emu.tenant);
    await page.getByTestId('azure-sign-in').click();
    const popupOpened = page.waitForEvent('popup');
    await page.getByTestId('azure-sign-in-url').getByRole('link').click();
    const popup = await popupOpened;
    await expect(popup.locator('body')).toContainText('Signed in to Preflight');
    await expect(page.getByTestId('azure-account-name')).toHaveText('emulator-user@contoso.test', { timeout: 30_000 });
    await expect(azure.workspace(emu.workspace)).toBeVisible();

    // A model with an error finding: the wizard shows it first and goes on only after the typed confirmation.
    const broken = join(tmp, 'broken-model');
    await cp(sampleModelDir, broken, { recursive: true });
    await rm(join(broken, 'model.onnx'));
    await models.open(broken);
    await models.expectModel(broken, 'broken-model');
    await models.showTab('azure');
    await page.getByTestId('azure-register-deploy').click();
    await expect(azure.wizard.getByTestId('azure-wizard-findings')).toContainText('error finding');
    await expect(azure.wizard.locator('[data-severity="error"]').first()).toBeVisible();
    await expect(azure.wizard.getByTestId('azure-wizard-next')).toBeDisabled();
    await page.getByTestId('azure-wizard-confirm').fill('deploy anyway');
    await expect(azure.wizard.getByTestId('azure-wizard-next')).toBeEnabled();
    await azure.screenshot('findings', azure.wizard);
    // The confirmation belongs to that model: opening another one closes the wizard with it.
    await models.open(sampleModelDir);
    await models.expectModel(sampleModelDir, 'sample-model');
    await models.showTab('azure');
    await expect(azure.wizard).toHaveCount(0);
    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
  } finally {
    await session.stop();
    await rm(tmp, { recursive: true, force: true });
  }
});

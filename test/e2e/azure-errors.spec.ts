import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleModelDir } from '../support/paths';
import { startAzureSession } from './support/azure-session';
import { expect, test } from './support/fixtures';

/**
 * The Azure tab when things go wrong, as a new user meets it (and, first, the Package tab's Open package… in a
 * browser-mode host without a file dialog): a device-code sign-in cancelled, a mistyped tenant,
 * a workspace whose lists Azure refuses (shown as not listed, never as empty), a deployment whose container crashes
 * while starting (its log lines are long: the storage initializer's azureml:// URI), bodies the endpoint refuses
 * (MLflow's form instead of Azure's `input_data`, and columns the model does not know), an invoke the user cancels
 * while the endpoint hangs, and a folder without
 * MLmodel, which no "deploy anyway" can deploy. Each message must say what happened and how to go on — not msal's
 * "see aka.ms", not "failed (200 …)", not "try again".
 */
test('the Azure tab explains a cancelled sign-in, a wrong tenant, refused lists, a failed deployment, refused bodies and a folder without MLmodel', async ({ appKind, chromiumBrowser }) => {
  test.skip(appKind !== 'browser', 'The Azure specs compose the browser-mode host with the emulator; the Electron app would need the same cloud file.');
  test.setTimeout(150_000);
  const tmp = await mkdtemp(join(tmpdir(), 'preflight-e2e-azure-errors-'));
  // The system-browser sign-in's page is the emulator's, under a per-run CA this browser does not know.
  const session = await startAzureSession(chromiumBrowser!, { ignoreHTTPSErrors: true });
  const { emulator, emu, page, models, azure, pageErrors } = session;
  try {
    // This host has no file dialog (no scripted picks): the Package tab's Open package… is not offered, and the
    // verify field says to type the path — not an error after a click.
    await models.showTab('package');
    await page.getByTestId('package-open').locator('summary').click();
    await expect(page.getByTestId('package-open-browse')).toHaveCount(0);
    await expect(page.getByTestId('package-open-typed')).toContainText('Browser mode has no file dialog: type the package file');
    await expect(page.getByTestId('package-verify-path')).toBeVisible();

    await models.showTab('azure');

    // Cancel while the device code is shown: a cancel, not "Sign-in failed: device_code_polling_cancelled: see aka.ms".
    const signin = page.getByTestId('azure-signin');
    await page.getByTestId('azure-method-device-code').check();
    await page.getByTestId('azure-tenant').fill(emu.tenant);
    await page.getByTestId('azure-sign-in').click();
    await expect(page.getByTestId('azure-user-code')).toBeVisible();
    await page.getByTestId('azure-sign-in-cancel').click();
    await expect(page.getByTestId('azure-sign-in-cancelled')).toContainText('Sign-in cancelled. Device-code sign-in cancelled.');
    await expect(signin.getByTestId('error-panel')).toHaveCount(0);
    await expect(signin).not.toContainText('aka.ms');

    // Cancel on Microsoft's sign-in page (the redirect carries access_denied + error_subcode=cancel): cancelled, not failed.
    await emulator.fault({ kind: 'signInCancel' });
    await page.getByTestId('azure-method-interactive').check();
    await page.getByTestId('azure-tenant').fill(emu.tenant);
    await page.getByTestId('azure-sign-in').click();
    const cancelPopup = page.waitForEvent('popup');
    await page.getByTestId('azure-sign-in-url').getByRole('link').click();
    const popup = await cancelPopup;
    await expect(popup.locator('body')).toContainText('Sign-in did not finish');
    await expect(page.getByTestId('azure-sign-in-cancelled')).toContainText("Browser sign-in cancelled: Cancel (or Back) was pressed on Microsoft's sign-in page", { timeout: 30_000 });
    await expect(signin.getByTestId('error-panel')).toHaveCount(0);
    await expect(signin).not.toContainText('access_denied');
    await popup.close();

    // A tenant Entra does not know: the tenant is named with Entra's reason and where to find the right one.
    await page.getByTestId('azure-method-service-principal').check();
    await page.getByTestId('azure-tenant').fill('contoso-typo');
    await page.getByTestId('azure-client-id').fill(emu.clientId);
    await page.getByTestId('azure-client-secret').fill(emu.clientSecret);
    await page.getByTestId('azure-sign-in').click();
    await expect(signin).toContainText('Entra ID does not know tenant "contoso-typo"');
    await expect(signin).toContainText("AADSTS90002: Tenant 'contoso-typo' not found");
    await expect(signin).toContainText('Microsoft Entra ID → Overview');
    await expect(signin).not.toContainText('aka.ms');
    await expect(azure.account).toHaveAttribute('data-signed-in', 'false');
    await azure.screenshot('wrong-tenant', signin);
    await azure.signInServicePrincipal(emu.tenant, emu.clientId, emu.clientSecret);

    // A deployment whose container crashes: the panel says it ended Failed with Azure's code, and the container
    // log's long lines stay inside the panel (scrolled sideways), at 1024 px too.
    // Listing the workspace is refused (no read permission): the view says the lists are unknown, not empty.
    await emulator.fault({ kind: 'status', status: 403, code: 'AuthorizationFailed', message: 'The client has no authorization to read onlineEndpoints.', operationId: 'OnlineEndpoints_List' });
    await azure.workspace(emu.workspace).click();
    await expect(page.getByText("Could not list the workspace's resources")).toBeVisible();
    await expect(page.getByTestId('azure-endpoints-unknown')).toHaveText('Not listed: Azure did not answer (the error is above). Refresh to try again.');
    await expect(page.getByTestId('azure-models-unknown')).toBeVisible();
    await expect(page.getByTestId('azure-endpoints')).not.toContainText('No online endpoints yet');
    await expect(page.getByTestId('tab-azure-online')).not.toContainText('0');
    await expect(page.getByTestId('tab-azure-batch')).not.toContainText('0');
    await azure.screenshot('lists-refused', page.getByTestId('azure-endpoints'));
    await page.getByTestId('azure-lists-refresh').click();
    await expect(page.getByTestId('azure-endpoints')).toContainText('No online endpoints yet');
    await expect(page.getByText("Could not list the workspace's resources")).toHaveCount(0);
    await expect(page.getByTestId('tab-azure-batch')).toContainText('0');

    await emulator.fault({ kind: 'lroFailed', operationId: 'OnlineDeployments_CreateOrUpdate', code: 'ResourceNotReady', message: 'User container has crashed or terminated: Liveness probe failed.' });
    await azure.registerAndDeploy({ endpoint: 'err-ep', deployment: 'blue' });
    await expect(azure.operation).toHaveAttribute('data-status', 'failed', { timeout: 90_000 });
    await expect(page.getByTestId('azure-operation-message')).toHaveText(
      'Creating or updating deployment blue ended Failed (ResourceNotReady): User container has crashed or terminated: Liveness probe failed. ' +
        'Endpoint err-ep stays in Azure with deployment blue Failed; its traffic was not changed. ' +
        'Read its container logs (`preflight azure logs --endpoint err-ep --deployment blue --container storage-initializer` or `--container inference-server`; Logs under the endpoint in the app), ' +
        'fix the cause and deploy again (it updates blue), or delete the endpoint (`preflight azure delete --endpoint err-ep`; Delete endpoint… in the app).',
    );
    await page.setViewportSize({ width: 1024, height: 800 });
    const tail = page.getByTestId('azure-operation-logs').locator('pre');
    await expect(tail).toContainText('azureml://subscriptions/');
    const fit = await tail.evaluate((el) => {
      const panel = el.closest('[data-testid="azure-operation"]')!.getBoundingClientRect();
      const overflowing = el.scrollWidth > el.clientWidth;
      el.scrollLeft = el.scrollWidth;
      return { overflowing, scrolled: el.scrollLeft > 0, inside: el.getBoundingClientRect().right <= panel.right };
    });
    expect(fit).toEqual({ overflowing: true, scrolled: true, inside: true });
    await azure.screenshot('deploy-failed', azure.operation);
    await page.setViewportSize({ width: 1600, height: 1000 });

    // The playground's "+ Azure endpoint" says which deployment failed before it is picked (it would answer 502).
    await page.getByTestId('tab-playground').click();
    await page.getByTestId('add-azure-target').click();
    await expect(page.getByTestId('azure-pick-err-ep-blue')).toHaveText('err-ep/blue · Failed');
    await page.getByTestId('add-azure-target').click();
    await models.showTab('azure');

    // Deployed for real this time; then bodies the endpoint refuses, each explained with how to check it locally.
    await azure.registerAndDeploy({ endpoint: 'err-ep', existing: true, deployment: 'blue' });
    await expect(azure.operation).toHaveAttribute('data-status', 'succeeded', { timeout: 90_000 });
    await azure.endpointRow('err-ep').click();
    await azure.showTool('invoke');
    const explanation = page.getByTestId('azure-answer-explanation');
    await page.getByTestId('azure-invoke-body').fill('{"dataframe_split": {"columns": ["age"], "data": [[0.1]]}}');
    await page.getByTestId('azure-invoke-send').click();
    await expect(azure.answer).toHaveAttribute('data-status', '400');
    await expect(explanation).toContainText('a no-code MLflow deployment reads {"input_data": …}');
    await expect(explanation).toContainText('preflight validate <model-dir> body.json --server azureml');
    await page.getByTestId('azure-invoke-body').fill('{"input_data": {"columns": ["x"], "data": [[1]]}}');
    await page.getByTestId('azure-invoke-send').click();
    await expect(azure.answer).toHaveAttribute('data-status', '500');
    await expect(explanation).toContainText('The scoring script raised an error on this request');
    await expect(explanation).not.toContainText('try again');
    await azure.screenshot('invoke-500', azure.answer);

    // The playground's azure target roots the same 500 in the same explanation (not the body's generic line).
    await page.getByTestId('tab-playground').click();
    await page.getByTestId('target-local-mlflow').uncheck();
    await page.getByTestId('add-azure-target').click();
    await page.getByTestId('azure-pick-err-ep-blue').click();
    await page.getByTestId('playground-editor-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('{"input_data": {"columns": ["x"], "data": [[1]]}}');
    await page.getByTestId('playground-send').click();
    const cloudResult = page.locator('[data-testid="target-result"][data-target="azure:err-ep/blue"]');
    await expect(cloudResult).toHaveAttribute('data-status', '500', { timeout: 30_000 });
    await expect(cloudResult.getByTestId('target-root-cause')).toContainText('The scoring script raised an error on this request');
    await models.showTab('azure');
    await azure.showTool('invoke');

    // The example's note describes the example: once the body is edited it goes away.
    await page.getByTestId('azure-invoke-sample').click();
    await expect(page.getByTestId('azure-invoke-sample-note')).toContainText('From ');
    await page.getByTestId('azure-invoke-body').fill('{"input_data": {"columns": ["age"], "data": [[0.1]]}}');
    await expect(page.getByTestId('azure-invoke-sample-note')).toHaveCount(0);

    // An endpoint that does not answer: Cancel while it runs aborts the request, and the panel says Cancelled (no error).
    await emulator.fault({ kind: 'slowScore', delayMs: 60_000 });
    await page.getByTestId('azure-invoke-send').click();
    await expect(page.getByTestId('azure-invoke-send')).toHaveText('Sending…');
    await page.getByTestId('azure-invoke-cancel').click();
    await expect(page.getByTestId('azure-invoke-cancelled')).toContainText('Cancelled. Invoke of err-ep cancelled: Preflight aborted the request');
    await expect(page.getByTestId('azure-invoke-cancel')).toHaveCount(0);
    await expect(page.getByTestId('azure-invoke-send')).toHaveText('Send');
    await expect(page.getByText('Invoke failed')).toHaveCount(0);
    await expect(azure.answer).toHaveCount(0);
    await azure.screenshot('invoke-cancelled', page.getByTestId('azure-invoke'));

    // A folder without MLmodel: the wizard says it cannot be deployed without code and offers no "deploy anyway".
    const onnxOnly = join(tmp, 'onnx-only');
    await cp(sampleModelDir, onnxOnly, { recursive: true });
    await rm(join(onnxOnly, 'MLmodel'));
    await models.open(onnxOnly);
    await models.showTab('azure');
    await page.getByTestId('azure-register-deploy').click();
    await expect(page.getByTestId('azure-wizard-not-deployable')).toContainText('This folder has no MLmodel');
    await expect(page.getByTestId('azure-wizard-confirm')).toHaveCount(0);
    await expect(azure.wizard.getByTestId('azure-wizard-next')).toBeDisabled();
    await azure.screenshot('not-deployable', azure.wizard);
    expect(await page.content()).not.toContain(emu.clientSecret);
    expect(pageErrors).toEqual([]);
  } finally {
    await session.stop();
    await rm(tmp, { recursive: true, force: true });
  }
});

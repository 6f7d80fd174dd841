import { fixture, sampleModelDir } from '../support/paths';
import { expect, test } from './support/fixtures';

/**
 * The fill button says where its body comes from. A model logged without an input example (the Input examples tab
 * counts 0) gets a body built from its signature; the button said "Fill from input example" there all the same, and
 * the replace question named an example the model does not have.
 */
test('the fill button reads "Fill from signature" for a model without an input example, "Fill from input example" with one', async ({ models, app }) => {
  const page = app.page;
  const diabetes = fixture('mlflow-models', 'azureml-examples-sklearn-diabetes');
  await models.open(diabetes);
  await expect(page.getByTestId('tab-examples')).toContainText('0');
  await page.getByTestId('tab-playground').click();
  const fill = page.getByTestId('fill-example');
  await expect(fill).toBeEnabled();
  await expect(fill).toHaveText('Fill from signature');

  // the question before replacing typed text names the same action
  await page.getByTestId('playground-editor-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText('{"input_data": {"columns": ["age"], "data": [[5]]}}');
  await fill.click();
  await expect(page.getByTestId('replace-what')).toHaveText('Fill from signature');
  await page.getByRole('button', { name: 'Keep mine' }).click();

  // the command palette's fill command says the same
  await page.keyboard.press('Control+Shift+P');
  await page.getByTestId('command-palette-input').fill('playground: fill');
  await expect(page.getByTestId('command')).toHaveText(['Playground: fill from signature']);
  await page.keyboard.press('Escape');

  await models.open(sampleModelDir);
  await page.getByTestId('tab-playground').click();
  await expect(page.getByTestId('fill-example')).toHaveText('Fill from input example');
  await page.keyboard.press('Control+Shift+P');
  await page.getByTestId('command-palette-input').fill('playground: fill');
  await expect(page.getByTestId('command')).toHaveText(['Playground: fill from input example']);
});

import { sampleModelDir } from '../support/paths';
import { expect, test } from './support/fixtures';

/**
 * The playground with the keyboard only: Tab from the toolbar reaches the request editor (it lives in a shadow root,
 * whose host once carried tabIndex -1 and so took the editor out of the Tab order: only Ctrl+E reached it), Tab
 * leaves it again (no trap), and Ctrl+Enter sends what was typed.
 */
test('Tab reaches the request editor and leaves it; what is typed there is sent with Ctrl+Enter', async ({ models, app }) => {
  const page = app.page;
  await models.expectModel(sampleModelDir, 'sample-model');
  await page.getByTestId('tab-playground').focus();
  await page.keyboard.press('Enter');
  const pg = page.getByTestId('playground');
  await expect(pg).toBeVisible();
  await expect(pg).toHaveAttribute('data-validation', 'done');

  await page.getByTestId('open-grid').focus();
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByTestId('fill-example')).toBeFocused();
  // Forward from the toolbar's last button, before Send: the editor is next in the page's order.
  const editor = page.getByTestId('playground-editor-content');
  await page.getByTestId('open-grid').focus();
  let reached = false;
  for (let i = 0; i < 3 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await expect(editor)
      .toBeFocused({ timeout: 500 })
      .then(() => true)
      .catch(() => false);
  }
  expect(reached, 'Tab from the toolbar never reached the request editor').toBe(true);
  await expect(editor).toBeFocused();

  await page.keyboard.press('Control+A');
  await page.keyboard.insertText('{"input_data": {"columns": ["age"], "data": [[1]]}}');
  await expect(page.getByTestId('validation-status')).toContainText('500');
  await page.keyboard.press('Control+Enter');
  await expect(pg).toHaveAttribute('data-run', /^(done|error)$/);
  await expect(page.getByTestId('verdict-sentence')).toContainText('local:azureml answers 500');

  // Tab is not captured by the editor: it moves on to the next control.
  await editor.focus();
  await page.keyboard.press('Tab');
  await expect(editor).not.toBeFocused();
  // Ctrl+E (and the palette) still put the focus in it.
  await page.keyboard.press('Control+E');
  await expect(editor).toBeFocused();
});

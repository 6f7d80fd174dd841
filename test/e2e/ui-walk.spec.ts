import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { sampleModelDir } from '../support/paths';
import { screenshotDir } from './support/app-paths';
import { expect, test } from './support/fixtures';

/**
 * The app as a new user walks it on the bundled sample model — Overview, Findings, Playground (sent), Batch, Package,
 * Azure — at 1024 and 1600 px, light and dark: nothing cut or overflowing, text readable, a screenshot of each tab
 * (test/e2e/output/walk-*.png, in slices of 1000 px) to look at. Plus what the walk found: the playground's samples
 * are fetched once per model, and the editor's syntax colours follow the theme.
 */

/** In-page helpers (a string: the E2E project has no DOM types). WCAG contrast of an element's text on what is behind it. */
const HELPERS = `(() => {
  const rgb = (c) => {
    const srgb = /color\\(srgb ([^)]+)\\)/.exec(c); // what color-mix() computes to
    if (srgb) { const [r, g, b, a = 1] = srgb[1].split(/[ \\/]+/).filter(Boolean).map(Number); return { r: r * 255, g: g * 255, b: b * 255, a }; }
    const m = /rgba?\\(([^)]+)\\)/.exec(c); if (!m) return null; const [r, g, b, a = 1] = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return { r, g, b, a };
  };
  const lum = ({ r, g, b }) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const behind = (el) => { for (let e = el; e; e = e.parentElement || (e.getRootNode() && e.getRootNode().host)) { const c = rgb(getComputedStyle(e).backgroundColor); if (c && c.a > 0.5) return c; } return { r: 255, g: 255, b: 255, a: 1 }; };
  const contrast = (el) => { const a = lum(rgb(getComputedStyle(el).color)), b = lum(behind(el)); return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); };
  const shown = (el) => el.offsetParent !== null && getComputedStyle(el).visibility === 'visible';
  const label = (el) => el.tagName.toLowerCase() + ' "' + (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 50) + '"';
  window.__walk = {
    contrast,
    /** Buttons, tabs, headers, labels and badges whose text is wider than their box. */
    clipped: () => [...document.querySelectorAll('button, [role=tab], th, label, .badge')]
      .filter((el) => shown(el) && el.scrollWidth > el.clientWidth + 1).map((el) => label(el) + ' ' + el.scrollWidth + '>' + el.clientWidth),
    /** Visible, enabled controls and status text below 4.5:1. */
    lowContrast: () => [...document.querySelectorAll('button:not(:disabled), [role=tab], .tab-count, .statusbar span, .badge, .callout, h3, .muted')]
      .filter((el) => shown(el) && (el.textContent || '').trim() && contrast(el) < 4.5).map((el) => label(el) + ' ' + contrast(el).toFixed(2)),
    overflow: () => document.documentElement.scrollWidth - window.innerWidth,
    /** Where each model tab sits: selecting one must not move the others. */
    tabPlaces: () => [...document.querySelectorAll('[role=tab]')].map((t) => { const r = t.getBoundingClientRect(); return t.id + '@' + Math.round(r.x) + ',' + Math.round(r.y); }).join(' '),
    /** The request editor's first tokens (inside its shadow root) with their colour and contrast. */
    tokens: () => [...document.querySelector('[data-testid=playground-editor]').shadowRoot.querySelectorAll('.cm-line span')]
      .slice(0, 60).map((s) => ({ text: s.textContent || '', colour: getComputedStyle(s).color, contrast: contrast(s) })),
  };
})()`;

async function helpers(page: Page): Promise<void> {
  await page.evaluate(HELPERS);
}

/** The whole main area in slices (the viewport grows to hold it, so the scroll container cuts nothing). */
async function shoot(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  const size = page.viewportSize()!;
  const total = Math.min(6000, (await page.locator('main.main').evaluate((el) => el.scrollHeight)) + 90);
  await page.setViewportSize({ width: size.width, height: total });
  for (let y = 0, i = 0; y < total; y += 1000, i++) {
    await page.screenshot({ path: join(screenshotDir, `walk-${name}-${i}.png`), clip: { x: 0, y, width: size.width, height: Math.min(1000, total - y) } });
  }
  await page.setViewportSize(size);
}

async function useTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.getByTestId('theme-select').selectOption(theme);
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

test('opening a model and showing the playground asks the host for its samples once', async ({ models, app }) => {
  test.skip(app.kind !== 'browser', 'counts the browser-mode WebSocket frames');
  const page = app.page;
  const channels: string[] = [];
  page.on('websocket', (ws) => ws.on('framesent', (f) => channels.push((JSON.parse(String(f.payload)) as { channel?: string }).channel ?? '')));
  await page.reload(); // the socket opened before this listener; a fresh page opens the sample model again
  await models.expectModel(sampleModelDir, 'sample-model');
  await models.showTab('overview');
  await page.getByTestId('tab-playground').click();
  await expect(page.getByTestId('playground')).toHaveAttribute('data-validation', 'done');
  await expect(page.getByTestId('run-environment')).toHaveAttribute('data-engine', 'onnx');
  await models.showTab('overview');
  await page.getByTestId('tab-playground').click();
  await expect(page.getByTestId('run-environment')).toBeVisible();
  expect(channels.filter((c) => c === 'preflight:payload.samples')).toHaveLength(1);
  expect(channels.filter((c) => c === 'preflight:runner.environment')).toHaveLength(1);
});

test('the local server\'s curl line sends the playground\'s request, in the form that server reads', async ({ models, app }) => {
  const page = app.page;
  await models.expectModel(sampleModelDir, 'sample-model');
  await page.getByTestId('tab-playground').click();
  await expect(page.getByTestId('playground')).toHaveAttribute('data-validation', 'done');
  await page.getByTestId('server-start').click();
  const curl = page.getByTestId('server-curl');
  await expect(curl).toContainText('"input_data"');
  await expect(curl).toContainText("the playground's request");
  // An edit in the editor is what curl sends.
  await page.getByTestId('playground-editor-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' ');
  await expect(curl).toContainText('"input_data"');
  await page.getByTestId('format-select').selectOption('dataframe_split');
  // The editor now holds MLflow's form: the Azure server's curl falls back to the example in Azure's form, and says so.
  await expect(curl).toContainText('"input_data"');
  await expect(curl).toContainText("the input example in Azure ML's form");
  await page.getByTestId('server-stop').click();
  await expect(page.getByTestId('server-panel')).toHaveAttribute('data-running', 'false');
});

test('the request editor\'s syntax colours follow the theme and read at 4.5:1 or better', async ({ models, app }) => {
  const page = app.page;
  await models.expectModel(sampleModelDir, 'sample-model');
  await page.getByTestId('tab-playground').click();
  await expect(page.getByTestId('playground')).toHaveAttribute('data-validation', 'done');
  const editor = page.getByTestId('playground-editor');
  const colours: Record<string, string[]> = {};
  for (const theme of ['light', 'dark'] as const) {
    await useTheme(page, theme);
    await helpers(page);
    // Tokens live in the editor's shadow root; Playwright's locators pierce it.
    await expect(editor.locator('.cm-line span').first()).toBeVisible();
    const seen = (await page.evaluate('__walk.tokens()')) as { text: string; colour: string; contrast: number }[];
    const poor = seen.filter((s) => s.contrast < 4.5).map((s) => `${s.text} ${s.colour} ${s.contrast.toFixed(2)}`);
    expect(poor, `${theme}: tokens under 4.5:1`).toEqual([]);
    colours[theme] = [...new Set(seen.map((s) => s.colour))];
    expect(colours[theme]!.length, `${theme}: property names, strings and numbers in their own colours`).toBeGreaterThanOrEqual(3);
    await mkdir(screenshotDir, { recursive: true });
    await editor.screenshot({ path: join(screenshotDir, `editor-${theme}.png`) });
  }
  expect(colours.dark!.filter((c) => colours.light!.includes(c))).toEqual([]);
});

for (const theme of ['light', 'dark'] as const) {
  for (const width of [1024, 1600]) {
    test(`a new user's walk at ${width} px, ${theme}: every tab fits, nothing is cut, text is readable`, async ({ models, app }) => {
      const page = app.page;
      await page.setViewportSize({ width, height: 900 });
      await models.expectModel(sampleModelDir, 'sample-model');
      await useTheme(page, theme);
      await helpers(page);
      const problems: string[] = [];
      const places = await page.evaluate('__walk.tabPlaces()');
      for (const tab of ['overview', 'findings', 'playground', 'batch', 'package', 'azure']) {
        await page.getByTestId(`tab-${tab}`).click();
        await expect(page.getByTestId(`tab-${tab}`)).toHaveAttribute('aria-selected', 'true');
        if (tab === 'overview') await expect(page.getByTestId('summary-warning')).toHaveText('1 warning'); // the sample's one finding
        if (tab === 'playground') {
          await expect(page.getByTestId('playground')).toHaveAttribute('data-validation', 'done');
          await page.getByTestId('playground-send').click();
          await expect(page.getByTestId('compare-results')).toBeVisible({ timeout: 30_000 });
        }
        const found = (await page.evaluate('({ clipped: __walk.clipped(), lowContrast: __walk.lowContrast(), overflow: __walk.overflow() })')) as {
          clipped: string[];
          lowContrast: string[];
          overflow: number;
        };
        problems.push(...found.clipped.map((c) => `${tab}: cut ${c}`), ...found.lowContrast.map((c) => `${tab}: contrast ${c}`));
        if (found.overflow > 0) problems.push(`${tab}: the page scrolls sideways by ${found.overflow} px`);
        if ((await page.evaluate('__walk.tabPlaces()')) !== places) problems.push(`${tab}: selecting it moved the other tabs`);
        await shoot(page, `${theme}-${width}-${tab}`);
      }
      expect(problems).toEqual([]);
    });
  }
}

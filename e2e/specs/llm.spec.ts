// The model layer in the UI: the AI section of Settings (a headless Paige refuses to store a key and points to
// ANTHROPIC_API_KEY), testing the env key against the fake Anthropic API, Explain from an editor selection into the
// Explanations tab, and the banner when the API rejects the key.
import type { Page } from '@playwright/test';
import { fail, say } from '../fake-anthropic/script';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server';
import { test, expect } from '../support/fixtures';

const ENV_KEY = 'sk-ant-e2e-env-key-0123456789';

const ANSWER = {
  title: 'A Markdown heading',
  // Markdown, as the Explain prompt asks for; raw HTML in it must stay text.
  explanation:
    'The leading `#` makes this line the **top-level heading** of the README.\n\n' +
    '- one `#`: a title\n- two: a section\n\n```md\n# sample project\n```\n<b>not bold</b>',
  key_concepts: ['Markdown headings'],
  analogy: 'Like the title on a book cover.',
  related_files: null,
  phase_connection: null,
};

/** The backend runs with ANTHROPIC_API_KEY against a fake API whose script each test fills with `fake.enqueue`. */
const withFake = test.extend<{ fake: FakeAnthropic }>({
  // eslint-disable-next-line no-empty-pattern
  fake: async ({}, use) => {
    const fake = await startFakeAnthropic();
    await use(fake);
    await fake.close();
  },
  paigeEnv: async ({ fake }, use) => {
    await use({ ANTHROPIC_API_KEY: ENV_KEY, ANTHROPIC_BASE_URL: fake.url });
  },
});

async function selectAllInReadme(page: Page): Promise<void> {
  await page.getByTestId('nav-workspace').click();
  await page.getByTestId('tree-item-README.md').click();
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('sample');
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+A');
}

test.describe('without a key (headless)', () => {
  test('the banner says AI is off; no key storage controls, only the env-var route', async ({ paige }) => {
    const { page } = paige;
    await expect(page.getByTestId('llm-banner')).toHaveAttribute('data-state', 'no_key');
    await expect(page.getByTestId('llm-banner')).toContainText('ANTHROPIC_API_KEY');

    const ai = page.getByTestId('settings-ai');
    await expect(ai.getByTestId('ai-key-status')).toHaveAttribute('data-source', 'none');
    await expect(ai.getByTestId('api-key-env-route')).toContainText('ANTHROPIC_API_KEY');
    await expect(ai.getByTestId('api-key-origin')).toContainText('No key is set');
    // Nothing that cannot work here: no key field, no store/remove, nothing to test.
    for (const id of ['api-key-input', 'api-key-set', 'api-key-clear', 'api-key-test'])
      await expect(ai.getByTestId(id)).toHaveCount(0);
    // The AI settings of the model layer are there.
    for (const key of [
      'llm.baseUrl',
      'llm.models',
      'llm.structuredOutput',
      'llm.budgetDailyUsd',
      'llm.budgetMonthlyUsd',
    ])
      await expect(ai.getByTestId(`setting-${key}`)).toBeVisible();
    await expect(ai.getByTestId('llm-spend-daily')).toContainText('no limit');
    await expect(page.getByTestId('api-key-status')).toHaveText('API key: not set');

    // Explain without a key: the error shows in the Explanations tab with what to do.
    await selectAllInReadme(page);
    await page.getByTestId('explain-button').click();
    const entry = page.getByTestId('explanation').first();
    await expect(entry).toHaveAttribute('data-status', 'error');
    await expect(entry.getByTestId('explain-error')).toHaveAttribute('data-code', 'LLM_DISABLED');
    await expect(entry.getByTestId('explain-error')).toContainText('ANTHROPIC_API_KEY');
    await expect(entry.getByTestId('explain-error')).not.toContainText('Settings');
  });

  test('a daily budget saved in the AI section shows in the spend', async ({ paige }) => {
    const { page } = paige;
    const ai = page.getByTestId('settings-ai');
    await ai.getByTestId('setting-llm.budgetDailyUsd').fill('abc');
    await page.getByTestId('settings-save').click();
    await expect(ai.getByTestId('setting-error-llm.budgetDailyUsd')).toContainText('USD');
    await ai.getByTestId('setting-llm.budgetDailyUsd').fill('2.50');
    await page.getByTestId('settings-save').click();
    await expect(page.getByTestId('settings-saved')).toBeVisible();
    await expect(ai.getByTestId('llm-spend-daily')).toContainText('of $2.50');
  });
});

test.describe('with ANTHROPIC_API_KEY against the fake API', () => {
  withFake('test the key, explain a selection, then a 401 turns the banner to invalid key', async ({ paige, fake }) => {
    const { page } = paige;
    const ai = page.getByTestId('settings-ai');
    await expect(ai.getByTestId('ai-key-status')).toHaveAttribute('data-source', 'env');
    await expect(ai.getByTestId('ai-key-status')).toHaveAttribute('data-state', 'ready');
    await expect(ai.getByTestId('api-key-origin')).toContainText('comes from the ANTHROPIC_API_KEY');
    await expect(ai.getByTestId('api-key-input')).toHaveCount(0);
    await expect(page.getByTestId('api-key-status')).toHaveText('API key: present (env)');
    await expect(page.getByTestId('llm-banner')).toHaveCount(0);

    fake.enqueue(say('OK'));
    await ai.getByTestId('api-key-test').click();
    await expect(ai.getByTestId('api-key-test-result')).toHaveAttribute('data-ok', 'true');
    expect(fake.mainRequests()[0]!.headers.authorization ?? fake.mainRequests()[0]!.headers['x-api-key']).toContain(
      ENV_KEY,
    );

    // The explanation waits until the test lets it through, so the progress state is observable.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    fake.enqueue(async () => {
      await gate;
      return say(JSON.stringify(ANSWER));
    });
    await selectAllInReadme(page);
    await page.getByTestId('explain-button').click();
    await expect(page.getByTestId('explanations-tab')).toBeVisible();
    await expect(page.getByTestId('explain-progress')).toBeVisible();
    release();
    const entry = page.getByTestId('explanation').first();
    await expect(entry).toHaveAttribute('data-status', 'done');
    await expect(entry.getByTestId('explanation-title')).toHaveText(ANSWER.title);
    // Ctrl+A ends at the start of the empty last line, which is not part of the explained range.
    await expect(entry.locator('.explanation-where')).toHaveText('README.md:1');
    const result = entry.getByTestId('explain-result');
    await expect(result).toContainText('top-level heading');
    // Rendered as Markdown: bold, inline code, a list and a code block; the HTML tag shows as text.
    await expect(result.locator('.explain-text strong')).toHaveText('top-level heading');
    await expect(result.locator('.explain-text p code').first()).toHaveText('#');
    await expect(result.locator('.explain-text ul li')).toHaveCount(2);
    await expect(result.locator('.explain-text pre.md-code')).toHaveText('# sample project');
    await expect(result.locator('.explain-text')).toContainText('<b>not bold</b>');
    await expect(result.locator('.explain-text b')).toHaveCount(0);
    const sent = JSON.stringify(fake.mainRequests()[1]!.body);
    expect(sent).toContain('# sample project');

    // The spend so far includes both calls.
    await page.getByTestId('nav-home').click();
    await expect(ai.getByTestId('llm-spend')).toContainText('explain');

    // The API now rejects the key: the banner says so, and the failed explanation shows LLM_AUTH in the tab.
    fake.enqueue(fail(401));
    await selectAllInReadme(page);
    await page.getByTestId('explain-button').click();
    await expect(page.getByTestId('llm-banner')).toHaveAttribute('data-state', 'invalid_key');
    await expect(page.getByTestId('llm-banner')).toContainText('rejected the API key');
    const failed = page.getByTestId('explanation').first();
    await expect(failed.getByTestId('explain-error')).toHaveAttribute('data-code', 'LLM_AUTH');
    await expect(page.getByTestId('explanation')).toHaveCount(2);

    // The key works again on the account side: a passing key test clears the banner, and the failed entry retries.
    await page.getByTestId('nav-home').click();
    fake.enqueue(say('OK'));
    await ai.getByTestId('api-key-test').click();
    await expect(ai.getByTestId('api-key-test-result')).toHaveAttribute('data-ok', 'true');
    await expect(page.getByTestId('llm-banner')).toHaveCount(0);
    await page.getByTestId('nav-workspace').click();
    fake.enqueue(say(JSON.stringify(ANSWER)));
    await failed.getByTestId('explain-retry').click();
    await expect(page.getByTestId('explanation').first()).toHaveAttribute('data-status', 'done');
    await expect(page.getByTestId('explanation')).toHaveCount(2);
  });
});

test.describe('with a tiny daily spend limit', () => {
  withFake.use({ dataFiles: { 'settings.json': JSON.stringify({ llm: { budgetDailyUsd: 0.0001 } }) } });

  withFake(
    'the limit warns once, then Explain stops with LLM_BUDGET_EXCEEDED and no request',
    async ({ paige, fake }) => {
      const { page } = paige;
      fake.enqueue(say(JSON.stringify(ANSWER)));
      await selectAllInReadme(page);
      await page.getByTestId('explain-button').click();
      await expect(page.getByTestId('explanation').first()).toHaveAttribute('data-status', 'done');
      const warning = page.getByTestId('llm-budget-warning');
      await expect(warning).toHaveAttribute('data-state', 'exceeded');
      await expect(warning).toContainText('daily AI spend limit of $0.0001');

      await page.getByTestId('explain-button').click();
      const blocked = page.getByTestId('explanation').first();
      await expect(blocked.getByTestId('explain-error')).toHaveAttribute('data-code', 'LLM_BUDGET_EXCEEDED');
      await expect(blocked).toContainText('llm.budgetDailyUsd');
      expect(fake.mainRequests()).toHaveLength(1);
      await expect(warning).toHaveCount(1);
      await warning.getByRole('button', { name: 'Dismiss spend warning' }).click();
      await expect(warning).toHaveCount(0);

      await page.getByTestId('nav-home').click();
      await expect(page.getByTestId('llm-spend-daily')).toHaveAttribute('data-state', 'exceeded');
    },
  );
});

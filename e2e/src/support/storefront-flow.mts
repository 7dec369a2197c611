// Steps of the storefront as a person takes them, shared by the browser test and
// `npm run screenshots` (so the README's picture comes from the flow the test holds to).
import { type Page } from 'playwright-core';

export const PASSWORD = 'correct horse battery';

/** Registers `email` from the Register page; the storefront logs the new account in. */
export async function register(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.getByRole('link', { name: 'Register' }).first().click();
  await page.getByRole('heading', { name: 'Register', exact: true }).waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Display name').fill('Shopper');
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Register' }).click();
  await page.getByRole('heading', { name: 'Catalog', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

/** Adds an item (by its name; default the first) from the catalog and opens the cart. */
export async function addToCart(page: Page, item?: string): Promise<void> {
  await page.getByRole('link', { name: 'Catalog' }).click();
  await page.getByRole('heading', { name: 'Catalog', exact: true }).waitFor();
  const button = item
    ? page.getByRole('button', { name: `Add to cart (${item})` })
    : page.getByRole('button', { name: /^Add to cart/ }).first();
  await button.click();
  await page.getByRole('link', { name: /^Cart/ }).click();
  await page.getByRole('heading', { name: 'Cart', exact: true }).waitFor();
}

/** Sets +`latencyMs` on a service from the demo panel and waits until the panel confirms it. */
export async function addLatency(
  page: Page,
  service: 'payment' | 'inventory',
  latencyMs: number,
): Promise<void> {
  await page.getByRole('link', { name: 'Demo panel' }).click();
  await page.getByRole('heading', { name: 'Demo panel', exact: true }).waitFor();
  const index = service === 'payment' ? 0 : 1;
  await page.getByLabel('+N ms latency').nth(index).fill(String(latencyMs));
  await page.getByRole('button', { name: `Apply to ${service}` }).click();
  await page
    .getByText(`${service}: faults set (+${String(latencyMs)} ms latency, 0 % errors)`)
    .waitFor();
  // Every replica applies a change within a second (SharedFaultInjector).
  await new Promise((resolve) => setTimeout(resolve, 1_500));
}

/**
 * "Run both" in the demo panel: one blocking and one queued order at the same moment, side by
 * side, until both are done. Call it with a latency fault set (addLatency): the blocking side
 * must be seen waiting. Returns the blocking order's latency and the queued one's accept time,
 * as the page shows them.
 */
export async function runBoth(page: Page): Promise<{ blockingMs: number; acceptedMs: number }> {
  await page.getByRole('button', { name: 'Run both' }).click();
  const blocking = page.getByTestId('timeline-blocking');
  const queued = page.getByTestId('timeline-queued');
  await blocking.getByText('waiting for inventory and payment…').waitFor();
  await blocking.getByText(/^confirmed in \d+ ms$/).waitFor({ timeout: 20_000 });
  await queued.getByText(/^completed after \d+ ms$/).waitFor({ timeout: 20_000 });
  return {
    blockingMs: Number(/(\d+)/.exec((await blocking.textContent()) ?? '')?.[1]),
    acceptedMs: Number(/accepted in (\d+)/.exec((await queued.textContent()) ?? '')?.[1]),
  };
}

// The storefront as a person uses it, in Debian's Chromium: the five services, the storefront's
// server and the local gateway (one origin), a collector and a real Jaeger (support/
// storefront.mts). Register, log in, buy blocking and queued, see a declined card rejected,
// follow the order's trace from the click in the browser into the services, set faults in the
// demo panel and run both modes side by side, log out; no page has a serious accessibility
// violation, and the CSP refuses nothing the app does.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import { type BrowserContext, type Page } from 'playwright-core';
import { type Span } from '../../tools/trace/otlp.mts';
import { setStock } from '@junction/testkit';
import { Redis } from 'ioredis';
import { REDIS_URL } from './support/environment.mts';
import { type Shop, startShop } from './support/storefront.mts';
import { addLatency, addToCart, PASSWORD, runBoth } from './support/storefront-flow.mts';
import { assertCleanExits } from './support/topology.mts';

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

let shop: Shop;
let context: BrowserContext;
let page: Page;
/** What the browser reported: uncaught errors and CSP refusals (a 4xx of fetch is not one). */
const problems: string[] = [];
const email = `shopper-${String(Date.now())}@example.com`;

/** Serious and critical axe-core violations of the page as it is now. */
async function accessibilityProblems(): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.map((n) => n.html).join(' | ')}`);
}

async function assertAccessible(where: string): Promise<void> {
  assert.deepEqual(await accessibilityProblems(), [], where);
}

const addFirstItemToCart = (): Promise<void> => addToCart(page);

/** The checkout page's trace id, once the order is placed. */
async function traceIdShown(): Promise<string> {
  const traceId = await page.getByTestId('trace-id').first().textContent({ timeout: 20_000 });
  assert.match(traceId ?? '', /^[0-9a-f]{32}$/);
  return traceId!;
}

/** The spans of a trace in Jaeger, once `done` holds for them (spans arrive in batches). */
async function jaegerTrace(traceId: string, done: (spans: Span[]) => boolean): Promise<Span[]> {
  const deadline = Date.now() + 30_000;
  let spans: Span[] = [];
  while (Date.now() < deadline) {
    spans = await shop.jaeger.trace(traceId);
    if (done(spans)) return spans;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  assert.fail(
    `trace ${traceId} incomplete: ${spans.map((s) => `${s.service}:${s.name}`).join(', ')}`,
  );
}

describe('storefront', () => {
  before(async () => {
    shop = await startShop();
    context = await shop.browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) problems.push(message.text());
    });
  });

  after(async () => {
    await context.close();
    const codes = await shop.stop();
    assertCleanExits(codes);
  });

  it('serves the app under /shop/ through the gateway, with its security headers', async () => {
    const redirect = await fetch(shop.url.replace(/\/$/, ''), { redirect: 'manual' });
    assert.equal(redirect.status, 308);
    assert.equal(redirect.headers.get('location'), '/shop/');
    for (const url of [shop.url, `${shop.url}orders/not-a-file`, `${shop.url}config.json`]) {
      const response = await fetch(url);
      assert.equal(response.status, 200, url);
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
        assert.equal(response.headers.get(name), value, `${name} of ${url}`);
      }
    }
    const config = (await (await fetch(`${shop.url}config.json`)).json()) as Record<
      string,
      unknown
    >;
    assert.equal(config.tracing, true);
    assert.equal(config.traces, true);
    assert.equal(config.demoPanel, true);
  });

  it('shows the catalog with prices and stock, accessibly', async () => {
    await page.goto(shop.url);
    await page.getByRole('heading', { name: 'Catalog', exact: true }).waitFor();
    await page
      .getByRole('button', { name: /^Add to cart/ })
      .first()
      .waitFor();
    assert.equal(await page.title(), 'Catalog · Junction shop');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.match((await page.locator('.item').first().textContent()) ?? '', /€.*in stock/);
    await assertAccessible('catalog');
  });

  it("registers, showing the API's own message for a wrong field, then logs in", async () => {
    await page.getByRole('link', { name: 'Register' }).first().click();
    await page.getByRole('heading', { name: 'Register', exact: true }).waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Display name').fill('Shopper');
    await page.getByLabel(/^Password/).fill('short');
    await assertAccessible('register');
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByRole('alert').getByText('password: must be at least 8 characters').waitFor();
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByRole('heading', { name: 'Catalog', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    assert.equal(await page.locator('.who').textContent(), email);
  });

  it('buys blocking: the page waits for the one request, then says confirmed in N ms', async () => {
    await addFirstItemToCart();
    await assertAccessible('cart');
    await page.getByLabel('Blocking', { exact: true }).check();
    await page.getByLabel('A card that approves').check();
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByRole('heading', { name: 'Checkout', exact: true }).waitFor();
    await page.getByText(/^confirmed in \d+ ms$/).waitFor({ timeout: 20_000 });
    assert.equal(await page.getByTestId('final-blocking').textContent(), 'Final status: confirmed');
    assert.equal(await page.getByRole('link', { name: /^Cart/ }).textContent(), 'Cart (0)');
    await assertAccessible('blocking checkout');
  });

  it('draws the trace that starts with the click, and Jaeger has it: click → fetch → orders', async () => {
    const traceId = await traceIdShown();
    await page.getByTestId('waterfall').waitFor({ timeout: 30_000 });
    await page.getByTestId('waterfall').getByText('checkout blocking').waitFor();
    // The browser exports its spans in batches: the fetch span ends after the click's (the fetch
    // instrumentation waits for the resource timing), so it can reach Jaeger a batch later.
    const spans = await jaegerTrace(traceId, (all) => {
      const clicked = all.find((span) => span.name === 'checkout blocking');
      return (
        clicked !== undefined &&
        all.some((span) => span.parentSpanId === clicked.spanId) &&
        all.some((span) => span.service === 'orders' && span.name === 'POST /orders')
      );
    });
    const click = spans.find((span) => span.name === 'checkout blocking');
    assert.ok(click, 'the click span');
    assert.equal(click.service, 'junction-storefront');
    assert.equal(click.parentSpanId, '', 'the click is the root of the trace');
    const fetchSpan = spans.find((span) => span.parentSpanId === click.spanId);
    assert.ok(fetchSpan, "the POST's fetch span is the click's child");
    assert.equal(fetchSpan.service, 'junction-storefront');
    const post = spans.find((span) => span.service === 'orders' && span.name === 'POST /orders');
    assert.equal(post?.parentSpanId, fetchSpan.spanId, "orders' POST continues the fetch span");
  });

  it('buys queued: accepted in N ms at once, each status live, then completed after M ms', async () => {
    await addFirstItemToCart();
    await page.getByLabel('Queued', { exact: true }).check();
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByText(/^completed after \d+ ms$/).waitFor({ timeout: 20_000 });
    const steps = await page.getByTestId('timeline-queued').locator('li').allTextContents();
    assert.match(steps[0] ?? '', /^accepted in \d+ ms$/);
    assert.match(steps.at(-2) ?? '', /^confirmed \+\d+ ms$/);
    assert.equal(await page.getByTestId('final-queued').textContent(), 'Final status: confirmed');
    const accepted = Number(/(\d+)/.exec(steps[0]!)?.[1]);
    const completed = Number(/(\d+)/.exec(steps.at(-1)!)?.[1]);
    assert.ok(accepted <= completed, steps.join(' / '));
  });

  it('shows a declined card as rejected, with the reason', async () => {
    await addFirstItemToCart();
    await page.getByLabel('Queued', { exact: true }).check();
    await page.getByLabel('A card that declines').check();
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByText(/^completed after \d+ ms$/).waitFor({ timeout: 20_000 });
    assert.equal(
      await page.getByTestId('final-queued').textContent(),
      'Final status: rejected (reason: payment_declined)',
    );
  });

  it('lists the orders, and opens one with its status and history', async () => {
    await page.getByRole('link', { name: 'Your orders' }).click();
    await page.getByRole('heading', { name: 'Your orders', exact: true }).waitFor();
    await page.locator('table.orders tbody tr').nth(2).waitFor();
    assert.equal(await page.locator('table.orders tbody tr').count(), 3);
    assert.match(
      (await page.locator('table.orders tbody tr').first().textContent()) ?? '',
      /queuedrejected \(payment_declined\)/,
    );
    await assertAccessible('orders');
    await page.locator('table.orders tbody tr a').first().click();
    await page.getByRole('heading', { name: 'Order', exact: true }).waitFor();
    assert.equal(
      await page.getByTestId('order-status').textContent(),
      'rejected (payment_declined)',
    );
    await page.getByTestId('trace-id').waitFor();
  });

  it('shows an order beyond the stock rejected as out of stock, and a sold-out item as such', async () => {
    // The Limited edition print has 3 in stock (services/inventory/src/domain/catalog.ts).
    await addToCart(page, 'Limited edition print');
    await page.getByLabel('Quantity of Limited edition print').fill('5');
    await page.getByLabel('Blocking', { exact: true }).check();
    await page.getByLabel('A card that approves').check();
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByText(/^rejected in \d+ ms \(out_of_stock\)$/).waitFor({ timeout: 20_000 });
    assert.equal(
      await page.getByTestId('final-blocking').textContent(),
      'Final status: rejected (reason: out_of_stock)',
    );
    // Sold out: the catalog says so and offers no button to add it.
    const redis = new Redis(REDIS_URL);
    try {
      await setStock(redis, 'JNC-LIMITED', 0);
    } finally {
      redis.disconnect();
    }
    await page.goto(shop.url);
    const print = page.locator('.item').filter({ hasText: 'Limited edition print' });
    await print.getByText('out of stock', { exact: true }).waitFor();
    assert.equal(await print.getByRole('button', { name: /^Add to cart/ }).isDisabled(), true);
    await assertAccessible('catalog with a sold-out item');
  });

  it('sets faults in the demo panel, and runs both modes side by side', async () => {
    await page.getByRole('link', { name: 'Demo panel' }).click();
    await page.getByRole('heading', { name: 'Demo panel', exact: true }).waitFor();
    await page.getByText('Now: no faults set').first().waitFor();
    await addLatency(page, 'payment', 500);
    await page.getByText('payment: faults set (+500 ms latency, 0 % errors)').waitFor();
    await assertAccessible('demo panel');
    const { blockingMs, acceptedMs } = await runBoth(page);
    assert.ok(blockingMs >= 500, `blocking waited for the slow payment: ${String(blockingMs)} ms`);
    assert.ok(acceptedMs < blockingMs, `queued was accepted first: ${String(acceptedMs)} ms`);
    await page.getByRole('button', { name: 'Reset payment' }).click();
    await page.getByText('payment: faults cleared (no faults set)').waitFor();
  });

  it('renews an expired access token once, and sends a dead session back to the login', async () => {
    await page.evaluate(() => {
      const session = JSON.parse(sessionStorage.getItem('junction.session') ?? '{}') as object;
      sessionStorage.setItem('junction.session', JSON.stringify({ ...session, accessToken: 'x' }));
    });
    await page.goto(`${shop.url}orders`);
    await page.locator('table.orders tbody tr').first().waitFor();

    await page.evaluate(() => {
      sessionStorage.setItem(
        'junction.session',
        JSON.stringify({ accessToken: 'x', refreshToken: 'A'.repeat(43), email: 'x' }),
      );
    });
    await page.goto(`${shop.url}orders`);
    await page.getByText('Your session expired, log in again.').waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Your orders', exact: true }).waitFor();
  });

  it('logs out: the session is over and the tab keeps nothing', async () => {
    const { refreshToken } = await page.evaluate(
      () =>
        JSON.parse(sessionStorage.getItem('junction.session') ?? '{}') as { refreshToken: string },
    );
    const loggedOut = page.waitForResponse(
      (response) => new URL(response.url()).pathname === '/auth/logout',
    );
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in', exact: true }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    await page.getByRole('link', { name: 'Log in' }).first().waitFor();

    assert.equal((await loggedOut).status(), 204);
    const refresh = await fetch(new URL('/auth/refresh', shop.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
    });
    assert.equal(refresh.status, 401, 'the refresh token stopped working at auth');
  });

  it('met no page error and no CSP refusal', () => {
    assert.deepEqual(problems, []);
  });
});

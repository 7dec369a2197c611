// Open-loop load: POST /orders on the schedule of testkit's openLoop, whatever the answers do (a
// slow or dead service does not slow the arrivals down, as with real users). Each order's mode,
// SKU, quantity, card and user follow from its index (seeded), so a run is repeatable.
import {
  CARDS,
  DEFAULT_SKU,
  isAcceptedStatus,
  mulberry32,
  openLoop,
  orderBody,
} from '@junction/testkit';
import { type Shopper } from './shoppers.mts';

export interface LoadProfile {
  readonly ratePerSecond: number;
  readonly durationMs: number;
  /** Share of orders placed `queued` (the rest `blocking`). */
  readonly queuedShare: number;
  /** Share of orders paid with `pm_card_declined` (the rest `pm_card_ok`). */
  readonly declinedShare: number;
}

export interface StockedSku {
  readonly sku: string;
  /** Starting stock, set in Redis before the load. */
  readonly stock: number;
  /** Relative share of the orders. */
  readonly weight: number;
}

/** Plenty of mugs, caps that run out, a limited print that runs out at once. */
export const CHAOS_CATALOG: readonly StockedSku[] = [
  { sku: DEFAULT_SKU, stock: 5000, weight: 6 },
  { sku: 'JNC-CAP', stock: 40, weight: 3 },
  { sku: 'JNC-LIMITED', stock: 6, weight: 1 },
];

export interface Placement {
  readonly index: number;
  readonly mode: 'blocking' | 'queued';
  readonly sku: string;
  readonly quantity: number;
  readonly paymentMethod: string;
  readonly userId: string;
  /** When it was sent, in ms since the load started. */
  readonly sentAtMs: number;
  /** The HTTP status; undefined when no answer came (connection refused or reset, timeout). */
  httpStatus?: number;
  error?: string;
  orderId?: string;
  /** The order's status in the answer (a 201 carries the final one). */
  answeredStatus?: string;
  latencyMs?: number;
}

export function isAccepted(placement: Placement): boolean {
  return isAcceptedStatus(placement.httpStatus);
}

const REQUEST_TIMEOUT_MS = 20_000;

export class OpenLoopLoad {
  readonly placements: Placement[] = [];
  readonly profile: LoadProfile;
  private readonly ordersUrl: string;
  private readonly shoppers: readonly Shopper[];
  private readonly catalog: readonly StockedSku[];
  private readonly acceptedListeners: ((placement: Placement) => void)[] = [];

  constructor(
    ordersUrl: string,
    shoppers: readonly Shopper[],
    profile: LoadProfile,
    catalog: readonly StockedSku[] = CHAOS_CATALOG,
  ) {
    this.ordersUrl = ordersUrl;
    this.shoppers = shoppers;
    this.profile = profile;
    this.catalog = catalog;
  }

  /** Called for each order answered 201/202, as soon as the answer arrives. */
  onAccepted(listener: (placement: Placement) => void): void {
    this.acceptedListeners.push(listener);
  }

  /** Places every order on schedule; resolves once each one has its answer (or gave up). */
  async run(): Promise<Placement[]> {
    const started = performance.now();
    await openLoop(this.profile, (index) => this.place(index, started), { zero: started });
    return this.placements;
  }

  private async place(index: number, loadStarted: number): Promise<void> {
    const sentAt = performance.now();
    const random = seeded(index);
    const shopper = this.shoppers[index % this.shoppers.length];
    if (!shopper) throw new Error('the load needs at least one shopper');
    const placement: Placement = {
      index,
      mode: random() < this.profile.queuedShare ? 'queued' : 'blocking',
      sku: pick(this.catalog, random()).sku,
      quantity: random() < 0.7 ? 1 : 2,
      paymentMethod: random() < this.profile.declinedShare ? CARDS.declined : CARDS.approved,
      userId: shopper.userId,
      sentAtMs: sentAt - loadStarted,
    };
    this.placements.push(placement);
    try {
      const response = await fetch(`${this.ordersUrl}/orders`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${shopper.accessToken}`,
        },
        body: JSON.stringify(orderBody(placement)),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      placement.httpStatus = response.status;
      const body = (await response.json().catch(() => ({}))) as { id?: string; status?: string };
      if (body.id !== undefined) placement.orderId = body.id;
      if (body.status !== undefined) placement.answeredStatus = body.status;
    } catch (error) {
      placement.error = describeError(error);
    }
    placement.latencyMs = performance.now() - sentAt;
    if (isAccepted(placement)) for (const listener of this.acceptedListeners) listener(placement);
  }
}

function pick(catalog: readonly StockedSku[], roll: number): StockedSku {
  const total = catalog.reduce((sum, item) => sum + item.weight, 0);
  let left = roll * total;
  for (const item of catalog) {
    left -= item.weight;
    if (left < 0) return item;
  }
  const last = catalog.at(-1);
  if (!last) throw new Error('the catalog is empty');
  return last;
}

/** One random stream per order index. */
function seeded(index: number): () => number {
  return mulberry32((index * 0x9e3779b9) >>> 0);
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.name}${cause}`;
}

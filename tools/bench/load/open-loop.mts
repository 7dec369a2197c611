// Open-loop checkout load: orders arrive on the schedule of testkit's openLoop (i / rate),
// whatever the answers do, as real shoppers do — a slow or failing service does not slow the
// arrivals down, so its queueing shows. Latencies count from the scheduled time, not from when
// the client got around to sending (no coordinated omission). A queued order is watched on its
// events stream until it is terminal; a blocking order's 201 is already terminal.
import { performance } from 'node:perf_hooks';
// The load image (the Dockerfile's `load` stage) has no node_modules: it runs this folder and
// testkit's checkout client (Node built-ins only) by path, so they are imported by path here, once.
/* eslint-disable @nx/enforce-module-boundaries */
import * as checkout from '../../testkit/checkout/index.mts';
export * from '../../testkit/checkout/index.mts';
/* eslint-enable @nx/enforce-module-boundaries */

/** Relative shares of the two paths, e.g. 1:1 or 0:1 (queued only). */
export type Mix = Readonly<Record<checkout.CheckoutMode, number>>;

export interface CheckoutTargets {
  /** Where /auth/* is served. */
  readonly authUrl: string;
  /** Where /orders is served. */
  readonly ordersUrl: string;
}

export interface OpenLoopPlan {
  readonly ratePerSecond: number;
  readonly durationMs: number;
  readonly mix: Mix;
  readonly sku: string;
  readonly paymentMethod: string;
  /** Orders awaiting their answer at once; an arrival beyond that fails as `client overload`. */
  readonly maxInFlight: number;
  readonly requestTimeoutMs: number;
  /** How long a queued order's events are watched for a terminal status. */
  readonly watchTimeoutMs: number;
}

export interface Placement {
  readonly index: number;
  readonly mode: checkout.CheckoutMode;
  /** When it was due, in ms after the load started. */
  readonly intendedMs: number;
  /** When its answer (201/202 or an error) arrived. */
  answeredMs?: number;
  httpStatus?: number;
  /** Why it was not accepted: `HTTP 503`, `timeout`, `ECONNREFUSED`, `client overload`, … */
  error?: string;
  orderId?: string;
  finalStatus?: string;
  finalReason?: string;
  /** When the client learned the terminal status. */
  completedMs?: number;
}

export interface OpenLoopRun {
  /** Wall-clock time (ms since the epoch) of the schedule's zero. */
  readonly startedAt: number;
  readonly plan: OpenLoopPlan;
  readonly placements: readonly Placement[];
  /** How long orders arrived: the plan's duration, or less when stopped early. */
  readonly arrivalsMs: number;
  /** The worst delay between an order's due time and its sending: the generator's own lag. */
  readonly maxSendLagMs: number;
}

interface OrderBody {
  readonly id: string;
  readonly status: string;
  readonly reason: string;
}

export function isAccepted(placement: Placement): boolean {
  return checkout.isAcceptedStatus(placement.httpStatus);
}

/** The path of the i-th order: the mix spread evenly over the sequence (deterministic). */
export function modeOf(index: number, mix: Mix): checkout.CheckoutMode {
  const share = mix.queued / (mix.blocking + mix.queued);
  return Math.floor((index + 1) * share) > Math.floor(index * share) ? 'queued' : 'blocking';
}

export class OpenLoopLoad {
  private readonly http: checkout.HttpJson;
  private readonly targets: CheckoutTargets;
  private readonly shoppers: readonly checkout.Shopper[];
  private inFlight = 0;
  private clock = performance.now();
  private sequence = 0;

  constructor(
    http: checkout.HttpJson,
    targets: CheckoutTargets,
    shoppers: readonly checkout.Shopper[],
  ) {
    this.http = http;
    this.targets = targets;
    this.shoppers = shoppers;
  }

  /** Runs the schedule; `stop` ends the arrivals early (what is in flight still finishes). */
  async run(plan: OpenLoopPlan, stop?: AbortSignal): Promise<OpenLoopRun> {
    const startedAt = Date.now();
    this.clock = performance.now();
    const placements: Placement[] = [];
    const arrivals = await checkout.openLoop(
      plan,
      (index, intendedMs) => {
        const placement: Placement = { index, mode: modeOf(index, plan.mix), intendedMs };
        placements.push(placement);
        return this.place(placement, plan);
      },
      { zero: this.clock, stop },
    );
    return {
      startedAt,
      plan,
      placements,
      arrivalsMs: arrivals.arrivalsMs,
      maxSendLagMs: arrivals.maxSendLagMs,
    };
  }

  /** One checkout, start to terminal status (closed-loop use: the tracing overhead). */
  async complete(mode: checkout.CheckoutMode, plan: OpenLoopPlan): Promise<Placement> {
    const placement: Placement = { index: this.sequence++, mode, intendedMs: this.now() };
    await this.place(placement, plan);
    return placement;
  }

  private now(): number {
    return performance.now() - this.clock;
  }

  private async place(placement: Placement, plan: OpenLoopPlan): Promise<void> {
    if (this.inFlight >= plan.maxInFlight) {
      placement.error = 'client overload';
      placement.answeredMs = this.now();
      return;
    }
    this.inFlight += 1;
    const shopper = this.shoppers[placement.index % this.shoppers.length];
    let token = '';
    try {
      if (!shopper) throw new Error('no shoppers');
      token = await shopper.token();
      const reply = await this.http.send<OrderBody>('POST', `${this.targets.ordersUrl}/orders`, {
        token,
        timeoutMs: plan.requestTimeoutMs,
        body: checkout.orderBody({
          sku: plan.sku,
          paymentMethod: plan.paymentMethod,
          mode: placement.mode,
        }),
      });
      placement.answeredMs = this.now();
      placement.httpStatus = reply.status;
      if (!isAccepted(placement)) placement.error = `HTTP ${String(reply.status)}`;
      else this.accepted(placement, reply.body);
    } catch (error) {
      placement.answeredMs = this.now();
      placement.error = errorKind(error);
    } finally {
      this.inFlight -= 1;
    }
    if (placement.orderId !== undefined && placement.finalStatus === undefined) {
      await this.watch(placement, token, plan.watchTimeoutMs);
    }
  }

  private accepted(placement: Placement, order: OrderBody): void {
    placement.orderId = order.id;
    if (order.status !== 'pending') this.completed(placement, order);
  }

  private completed(placement: Placement, order: OrderBody): void {
    placement.finalStatus = order.status;
    placement.finalReason = order.reason;
    placement.completedMs = this.now();
  }

  /** Follows the order's events until it is terminal (or the watch times out: unobserved). */
  private async watch(placement: Placement, token: string, timeoutMs: number): Promise<void> {
    const url = `${this.targets.ordersUrl}/orders/${placement.orderId ?? ''}/events`;
    await this.http
      .watch(
        url,
        token,
        (data) => {
          const order = JSON.parse(data) as OrderBody;
          if (order.status === 'pending') return false;
          this.completed(placement, order);
          return true;
        },
        timeoutMs,
      )
      .catch(() => undefined);
  }
}

function errorKind(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) return String(error.code);
  const message = error instanceof Error ? error.message : String(error);
  return /no answer within/.test(message) ? 'timeout' : message.slice(0, 60);
}

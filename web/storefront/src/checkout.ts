// A checkout as the person sees it: the click, then each thing the API says, with its time
// since the click. Blocking: one request that answers with the final order. Queued: an
// acceptance at once, then the order's status changes from its events stream. The API decides
// everything; this only measures and tells.
import { call } from './api/client.ts';
import { describeError } from './api/errors.ts';
import { orderEvents } from './api/events.ts';
import { traceIdOf } from './api/trace-context.ts';
import {
  type CheckoutMode,
  isTerminal,
  type Order,
  type OrderLine,
  type PaymentMethod,
} from './api/types.ts';
import { Store } from './store.ts';
import { inSpan } from './telemetry.ts';

export type EntryKind = 'waiting' | 'step' | 'confirmed' | 'rejected' | 'error';

export interface TimelineEntry {
  readonly text: string;
  /** Milliseconds since the click. */
  readonly atMs: number;
  readonly kind: EntryKind;
  /** The text already says when ("accepted in 12 ms"): no separate time. */
  readonly timed?: boolean;
}

export interface CheckoutRun {
  readonly id: string;
  readonly mode: CheckoutMode;
  readonly entries: readonly TimelineEntry[];
  readonly order: Order | undefined;
  readonly traceId: string | undefined;
  readonly finished: boolean;
}

/** Every checkout of this page, by run id (the order view reads its run from here). */
export const runs = new Store<Readonly<Record<string, CheckoutRun>>>({});

const TRACES_KEY = 'junction.order-traces';

/** The trace of each order placed in this tab, for its order view after a reload. */
export function rememberedTraceOf(orderId: string): string | undefined {
  try {
    const traces = JSON.parse(sessionStorage.getItem(TRACES_KEY) ?? '{}') as Record<string, string>;
    return traces[orderId];
  } catch {
    return undefined;
  }
}

function rememberTrace(orderId: string, traceId: string): void {
  let traces: Record<string, string> = {};
  try {
    traces = JSON.parse(sessionStorage.getItem(TRACES_KEY) ?? '{}') as Record<string, string>;
  } catch {
    traces = {};
  }
  sessionStorage.setItem(TRACES_KEY, JSON.stringify({ ...traces, [orderId]: traceId }));
}

function change(id: string, update: (run: CheckoutRun) => CheckoutRun): void {
  runs.update((all) => {
    const run = all[id];
    return run === undefined ? all : { ...all, [id]: update(run) };
  });
}

const reasonOf = (order: Order): string => (order.reason === '' ? '' : ` (${order.reason})`);

function statusText(order: Order): string {
  return `${order.status}${reasonOf(order)}`;
}

function statusKind(order: Order): EntryKind {
  if (order.status === 'confirmed') return 'confirmed';
  return order.status === 'rejected' ? 'rejected' : 'step';
}

export interface CheckoutRequest {
  readonly mode: CheckoutMode;
  readonly lines: readonly OrderLine[];
  readonly paymentMethod: PaymentMethod;
}

/** Starts a checkout; its run id at once, its progress in `runs`. */
export function startCheckout(
  request: CheckoutRequest,
  onPlaced: () => void = () => undefined,
): string {
  const id = crypto.randomUUID();
  const clickedAt = performance.now();
  const since = (): number => Math.round(performance.now() - clickedAt);
  const add = (entry: Omit<TimelineEntry, 'atMs'>, replaceWaiting = false): void => {
    change(id, (run) => ({
      ...run,
      entries: [
        ...run.entries.filter((e) => !(replaceWaiting && e.kind === 'waiting')),
        { ...entry, atMs: since() },
      ],
    }));
  };
  runs.update((all) => ({
    ...all,
    [id]: {
      id,
      mode: request.mode,
      entries:
        request.mode === 'blocking'
          ? [{ text: 'waiting for inventory and payment…', atMs: 0, kind: 'waiting', timed: true }]
          : [{ text: 'sending the order…', atMs: 0, kind: 'waiting', timed: true }],
      order: undefined,
      traceId: undefined,
      finished: false,
    },
  }));
  void run(id, request, since, add, onPlaced);
  return id;
}

async function run(
  id: string,
  request: CheckoutRequest,
  since: () => number,
  add: (entry: Omit<TimelineEntry, 'atMs'>, replaceWaiting?: boolean) => void,
  onPlaced: () => void,
): Promise<void> {
  const finish = (order: Order | undefined): void => {
    change(id, (current) => ({ ...current, finished: true, order: order ?? current.order }));
  };
  let order: Order;
  try {
    // The click's span: the POST /orders fetch span is its child, so the trace starts here.
    const answer = await inSpan(`checkout ${request.mode}`, async (spanTraceId) => {
      const response = await call<Order>('/orders', {
        method: 'POST',
        auth: true,
        // A fresh key per click: a retry of this request is the same order, a new click is not.
        headers: { 'idempotency-key': crypto.randomUUID() },
        body: { lines: request.lines, paymentMethod: request.paymentMethod, mode: request.mode },
      });
      return { ...response, spanTraceId };
    });
    order = answer.body;
    const traceId = traceIdOf(answer.headers.get('traceresponse')) ?? answer.spanTraceId;
    if (traceId !== undefined) rememberTrace(order.id, traceId);
    change(id, (current) => ({ ...current, order, traceId }));
    onPlaced();
  } catch (error) {
    add({ text: describeError(error), kind: 'error' }, true);
    finish(undefined);
    return;
  }

  if (request.mode === 'blocking' || isTerminal(order.status)) {
    const text = `${order.status} in ${String(since())} ms${reasonOf(order)}`;
    add({ text, kind: statusKind(order), timed: true }, true);
    finish(order);
    return;
  }
  add({ text: `accepted in ${String(since())} ms`, kind: 'step', timed: true }, true);
  const final = await follow(order, add);
  add({ text: `completed after ${String(since())} ms`, kind: statusKind(final), timed: true });
  finish(final);
}

/** The queued order's status changes until it is confirmed or rejected. */
async function follow(
  accepted: Order,
  add: (entry: Omit<TimelineEntry, 'atMs'>) => void,
): Promise<Order> {
  let latest = accepted;
  const stop = new AbortController();
  try {
    for await (const order of orderEvents(accepted.id, stop.signal)) {
      latest = order;
      add({ text: statusText(order), kind: statusKind(order) });
      if (isTerminal(order.status)) return order;
    }
  } catch (error) {
    add({
      text: `the live updates stopped (${describeError(error)}); reading the order instead`,
      kind: 'error',
    });
  } finally {
    stop.abort();
  }
  return settle(latest, add);
}

const POLL_MS = 1_000;
const POLLS = 60;

/** Without the stream: the order read once a second until it is final (bounded). */
async function settle(
  latest: Order,
  add: (entry: Omit<TimelineEntry, 'atMs'>) => void,
): Promise<Order> {
  let order = latest;
  for (let poll = 0; poll < POLLS && !isTerminal(order.status); poll += 1) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    try {
      const next = (await call<Order>(`/orders/${encodeURIComponent(order.id)}`, { auth: true }))
        .body;
      if (next.status !== order.status) add({ text: statusText(next), kind: statusKind(next) });
      order = next;
    } catch (error) {
      add({ text: describeError(error), kind: 'error' });
      return order;
    }
  }
  return order;
}

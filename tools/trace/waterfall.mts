// A trace as a terminal waterfall: the span tree in start order, each span's service, kind,
// start offset and duration, a bar on the trace's time axis, and every hop between services
// marked as blocking (a server span under a client call: the caller waits) or queued (a consumer
// span after a producer: the message waited in a queue, for the time shown).
import { type Span } from './otlp.mts';

export const QUEUE_WAIT = 'messaging.rabbitmq.queue_wait_ms';

export type HopMode = 'blocking' | 'queued';

export interface Row {
  readonly span: Span;
  readonly depth: number;
  readonly startOffsetMs: number;
  /** Set where the work crosses into another service. */
  readonly hop?: { readonly mode: HopMode; readonly from: string; readonly queueWaitMs?: number };
}

export interface TraceView {
  readonly traceId: string;
  readonly checkoutPath?: string;
  readonly orderId?: string;
  readonly startMs: number;
  readonly durationMs: number;
  readonly rows: readonly Row[];
}

/** Groups spans by trace, ordered by start time. */
export function traceViews(spans: readonly Span[]): TraceView[] {
  const byTrace = new Map<string, Span[]>();
  for (const span of spans) byTrace.set(span.traceId, [...(byTrace.get(span.traceId) ?? []), span]);
  return [...byTrace.values()].map(traceView).sort((a, b) => a.startMs - b.startMs);
}

export function traceView(spans: readonly Span[]): TraceView {
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string, Span[]>();
  const roots: Span[] = [];
  for (const span of spans) {
    if (span.parentSpanId && ids.has(span.parentSpanId)) {
      children.set(span.parentSpanId, [...(children.get(span.parentSpanId) ?? []), span]);
    } else {
      roots.push(span);
    }
  }
  const byStart = (a: Span, b: Span) => a.startMs - b.startMs || a.endMs - b.endMs;
  const startMs = Math.min(...spans.map((span) => span.startMs));
  const endMs = Math.max(...spans.map((span) => span.endMs));
  const rows: Row[] = [];
  const visit = (span: Span, depth: number, parent: Span | undefined): void => {
    const hop = hopOf(span, parent);
    rows.push({ span, depth, startOffsetMs: span.startMs - startMs, ...(hop ? { hop } : {}) });
    for (const child of (children.get(span.spanId) ?? []).sort(byStart))
      visit(child, depth + 1, span);
  };
  for (const root of roots.sort(byStart)) visit(root, 0, undefined);
  const first = spans.find((span) => typeof span.attributes['checkout.path'] === 'string');
  const path = first?.attributes['checkout.path'];
  const order = spans.find((span) => typeof span.attributes['order.id'] === 'string')?.attributes[
    'order.id'
  ];
  return {
    traceId: spans[0]?.traceId ?? '',
    ...(typeof path === 'string' ? { checkoutPath: path } : {}),
    ...(typeof order === 'string' ? { orderId: order } : {}),
    startMs,
    durationMs: endMs - startMs,
    rows,
  };
}

function hopOf(span: Span, parent: Span | undefined): Row['hop'] {
  const wait = span.attributes[QUEUE_WAIT];
  const queueWait = typeof wait === 'number' ? { queueWaitMs: wait } : {};
  if (span.kind === 'CONSUMER') {
    // With span links the consumer span is a root; its link names the producer.
    const from = parent?.service ?? (span.links.length > 0 ? '(linked)' : '?');
    return { mode: 'queued', from, ...queueWait };
  }
  if (span.kind === 'SERVER' && parent?.kind === 'CLIENT' && parent.service !== span.service) {
    return { mode: 'blocking', from: parent.service };
  }
  return undefined;
}

export interface RenderOptions {
  /** Characters for the time bar. */
  readonly barWidth?: number;
  readonly nameWidth?: number;
}

/** The waterfall as lines of text, a header first and the hop summary last. */
export function renderWaterfall(view: TraceView, options: RenderOptions = {}): string[] {
  const barWidth = options.barWidth ?? 40;
  const nameWidth = options.nameWidth ?? 64;
  const header = [
    `trace ${view.traceId}`,
    view.checkoutPath ? `checkout.path=${view.checkoutPath}` : undefined,
    view.orderId ? `order.id=${view.orderId}` : undefined,
    `${ms(view.durationMs)} total`,
    `${String(view.rows.length)} spans`,
  ].filter((part): part is string => part !== undefined);
  const lines = [header.join('  ·  '), ''];
  lines.push(
    `${'SERVICE'.padEnd(10)} ${'SPAN'.padEnd(nameWidth)} ${'KIND'.padEnd(8)} ${'START'.padStart(9)} ${'DURATION'.padStart(9)}  TIMELINE`,
  );
  for (const row of view.rows) {
    const name = fit(`${'  '.repeat(row.depth)}${row.hop ? '▶ ' : ''}${row.span.name}`, nameWidth);
    const bar = timeline(row, view, barWidth);
    const mark = row.hop ? `  ${hopLabel(row.hop)}` : '';
    const error = row.span.error ? '  ✗ error' : '';
    lines.push(
      `${fit(row.span.service, 10)} ${name} ${row.span.kind.padEnd(8)} ${`+${ms(row.startOffsetMs)}`.padStart(9)} ${ms(row.span.durationMs).padStart(9)}  ${bar}${mark}${error}`,
    );
  }
  lines.push('', `hops: ${hopSummary(view)}`);
  return lines;
}

/** `orders → inventory (queued, waited 7 ms) → payment (…)`, in start order. */
export function hopSummary(view: TraceView): string {
  const hops = view.rows.filter((row) => row.hop);
  if (hops.length === 0) return 'none (the trace stays in one service)';
  const first = view.rows[0]?.span.service ?? '?';
  return [
    first,
    ...hops.map((row) => `${row.span.service} (${row.hop ? hopLabel(row.hop) : ''})`),
  ].join(' → ');
}

function hopLabel(hop: NonNullable<Row['hop']>): string {
  if (hop.mode === 'blocking') return 'blocking';
  return hop.queueWaitMs === undefined
    ? 'queued'
    : `queued, waited ${ms(hop.queueWaitMs)} in queue`;
}

function timeline(row: Row, view: TraceView, width: number): string {
  const scale = view.durationMs > 0 ? width / view.durationMs : 0;
  const from = Math.min(width - 1, Math.floor(row.startOffsetMs * scale));
  const length = Math.max(1, Math.min(width - from, Math.round(row.span.durationMs * scale)));
  return `|${' '.repeat(from)}${'█'.repeat(length)}${' '.repeat(width - from - length)}|`;
}

function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`;
}

/** The machine-readable form of `--json`. */
export function toJson(view: TraceView): object {
  return {
    traceId: view.traceId,
    checkoutPath: view.checkoutPath ?? null,
    orderId: view.orderId ?? null,
    durationMs: round(view.durationMs),
    hops: view.rows
      .filter((row) => row.hop)
      .map((row) => ({
        from: row.hop?.from,
        to: row.span.service,
        mode: row.hop?.mode,
        queueWaitMs: row.hop?.queueWaitMs ?? null,
        spanId: row.span.spanId,
        name: row.span.name,
        startOffsetMs: round(row.startOffsetMs),
      })),
    spans: view.rows.map((row) => ({
      depth: row.depth,
      spanId: row.span.spanId,
      parentSpanId: row.span.parentSpanId || null,
      service: row.span.service,
      name: row.span.name,
      kind: row.span.kind,
      startOffsetMs: round(row.startOffsetMs),
      durationMs: round(row.span.durationMs),
      hop: row.hop?.mode ?? null,
      queueWaitMs: row.hop?.queueWaitMs ?? null,
      links: row.span.links,
      error: row.span.error,
    })),
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

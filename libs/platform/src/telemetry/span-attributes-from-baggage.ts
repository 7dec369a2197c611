import {
  type Attributes,
  type Baggage,
  type Context,
  propagation,
  trace,
} from '@opentelemetry/api';
import { SPAN_BAGGAGE, type SpanBaggageKey } from '@junction/contracts';
import { type ReadableSpan, type Span, type SpanProcessor } from '@opentelemetry/sdk-trace';

/**
 * Copies the allow-listed baggage entries (SPAN_BAGGAGE: `checkout.path`, `order.id`) onto every
 * span started in a context that carries them, so Jaeger can search a whole checkout by them.
 *
 * The path is known only once the order is parsed, after the HTTP server span and the Nest spans
 * of that request have started. So the first span that sees the entries also tags the spans of
 * the same trace that are still open in this process: the server span gets them too. A span
 * whose context has no such baggage takes them from its local parent span (a consumer span with
 * span links starts outside the message's baggage, but its hook tags it from the headers).
 */
export class SpanAttributesFromBaggage implements SpanProcessor {
  /** Open spans per trace id, so late-arriving entries reach their (still open) ancestors. */
  private readonly open = new Map<string, Set<Span>>();

  onStart(span: Span, parentContext: Context): void {
    const traceId = span.spanContext().traceId;
    let spans = this.open.get(traceId);
    if (!spans) {
      spans = new Set();
      this.open.set(traceId, spans);
    }
    spans.add(span);
    const attributes =
      attributesOf(propagation.getBaggage(parentContext)) ?? inherited(parentContext);
    if (!attributes) return;
    for (const open of spans) {
      if (!open.ended && !hasAll(open, attributes)) open.setAttributes(attributes);
    }
  }

  onEnd(span: ReadableSpan): void {
    const traceId = span.spanContext().traceId;
    const spans = this.open.get(traceId);
    if (!spans) return;
    spans.delete(span as Span);
    if (spans.size === 0) this.open.delete(traceId);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.open.clear();
    return Promise.resolve();
  }
}

/** The allow-listed entries with valid values, as attributes; undefined when there are none. */
export function attributesOf(baggage: Baggage | undefined): Attributes | undefined {
  if (!baggage) return undefined;
  let attributes: Attributes | undefined;
  for (const key of Object.keys(SPAN_BAGGAGE) as SpanBaggageKey[]) {
    const value = baggage.getEntry(key)?.value;
    if (value !== undefined && SPAN_BAGGAGE[key].test(value)) {
      attributes = { ...attributes, [key]: value };
    }
  }
  return attributes;
}

/** The allow-listed attributes of the parent span, when it is a local (SDK) span that has them. */
function inherited(parentContext: Context): Attributes | undefined {
  const parent = trace.getSpan(parentContext) as Partial<Span> | undefined;
  const attributes = parent?.attributes;
  if (!attributes) return undefined;
  const picked = Object.fromEntries(
    Object.keys(SPAN_BAGGAGE)
      .filter((key) => attributes[key] !== undefined)
      .map((key) => [key, attributes[key]]),
  );
  return Object.keys(picked).length > 0 ? picked : undefined;
}

function hasAll(span: Span, attributes: Attributes): boolean {
  return Object.entries(attributes).every(([key, value]) => span.attributes[key] === value);
}

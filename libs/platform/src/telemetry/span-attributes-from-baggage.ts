import {
  type Attributes,
  type Baggage,
  type Context,
  propagation,
  trace,
} from '@opentelemetry/api';
import { SPAN_BAGGAGE, type SpanBaggageKey } from '@junction/contracts';
import { type Span, type SpanProcessor } from '@opentelemetry/sdk-trace';

/**
 * Copies the allow-listed baggage entries (SPAN_BAGGAGE: `checkout.path`, `order.id`) onto every
 * span started in a context that carries them, so Jaeger can search a whole checkout by them.
 * A span whose context has no such baggage takes them from its local parent span (a consumer
 * span with span links starts outside the message's baggage, but its hook tags it from the
 * headers). Constant work per span: nothing is kept, nothing is scanned.
 *
 * The spans that started before the entries were known (the HTTP server span: the path is known
 * only once the order is parsed) are tagged once, by the code that sets them
 * (`withSpanBaggage`), not by looking through the open spans on every start.
 */
export class SpanAttributesFromBaggage implements SpanProcessor {
  onStart(span: Span, parentContext: Context): void {
    const attributes =
      attributesOf(propagation.getBaggage(parentContext)) ?? inherited(parentContext);
    if (attributes) span.setAttributes(attributes);
  }

  onEnd(): void {
    // Nothing to do: the attributes were set when the span started.
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
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
  const attributes = (trace.getSpan(parentContext) as Partial<Span> | undefined)?.attributes;
  if (!attributes) return undefined;
  let picked: Attributes | undefined;
  for (const key of Object.keys(SPAN_BAGGAGE)) {
    const value = attributes[key];
    if (value !== undefined) picked = { ...picked, [key]: value };
  }
  return picked;
}

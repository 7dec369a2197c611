/**
 * The W3C baggage entries of a checkout, a contract between services: orders sets them when it
 * places an order, and every service copies them onto its spans (the platform's
 * SpanAttributesFromBaggage), so Jaeger can search a whole checkout by path or order id. Only
 * these keys are copied, and only values matching their pattern: baggage arrives from callers,
 * so nothing else is trusted or recorded. Never put personal data, tokens or card data here:
 * baggage travels in plain headers.
 */
export const SPAN_BAGGAGE = {
  'checkout.path': /^(blocking|queued)$/,
  'order.id': /^[A-Za-z0-9_.:-]{1,64}$/,
} as const satisfies Record<string, RegExp>;

export type SpanBaggageKey = keyof typeof SPAN_BAGGAGE;

// The trace id of a call: the API's `traceresponse` header (W3C Trace Context level 2,
// `00-<trace id>-<span id>-<flags>`) when it sends one, else the span the app itself started.

const TRACE_RESPONSE = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;
const NO_TRACE = '0'.repeat(32);

export function traceIdOf(traceresponse: string | null): string | undefined {
  const traceId = TRACE_RESPONSE.exec(traceresponse?.trim().toLowerCase() ?? '')?.[1];
  return traceId === undefined || traceId === NO_TRACE ? undefined : traceId;
}

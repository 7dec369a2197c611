// One call to an HTTP peer of the server (the trace collector, Jaeger's query, a service's
// /admin/faults), bounded by a timeout; a peer that cannot be reached is an UpstreamError.
export const UPSTREAM_TIMEOUT_MS = 5_000;

export interface UpstreamReply {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: string;
}

export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
}

export async function callUpstream(
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: string },
  timeoutMs = UPSTREAM_TIMEOUT_MS,
): Promise<UpstreamReply> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? undefined,
      body: await response.text(),
    };
  } catch (error) {
    const reason =
      error instanceof Error && error.name === 'TimeoutError'
        ? `no answer within ${String(timeoutMs)} ms`
        : 'connection failed';
    throw new UpstreamError(reason, { cause: error });
  }
}

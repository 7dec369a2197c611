// GET /orders/{id}/events: the order's status changes as Server-Sent Events, read with fetch
// and parsed here by hand. Not EventSource: it cannot send an Authorization header, and the
// token must not travel in the URL (URLs end up in logs, histories and Referer headers).
import { send } from './client.ts';
import { ApiError, messageOf } from './errors.ts';
import { type Order } from './types.ts';

export interface ServerSentEvent {
  readonly event: string;
  readonly data: string;
  readonly id: string | undefined;
}

/**
 * Splits an SSE byte stream into events (the WHATWG "event stream interpretation", the parts
 * the orders service uses: event, data on one or more lines, id, comments as keepalives).
 */
export async function* serverSentEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      const lines = buffer.split(/\r\n|\r|\n/);
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line === '') {
          if (data.length > 0)
            yield { event: event === '' ? 'message' : event, data: data.join('\n'), id };
          event = '';
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue; // a comment: the server's keepalive
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
        else if (field === 'id') id = value;
      }
    }
  } finally {
    reader.releaseLock();
  }
}

/** Each status of the order until the stream ends (at confirmed or rejected). */
export async function* orderEvents(orderId: string, signal: AbortSignal): AsyncGenerator<Order> {
  const response = await send(`/orders/${encodeURIComponent(orderId)}/events`, {
    auth: true,
    headers: { accept: 'text/event-stream' },
    signal,
  });
  if (!response.ok || response.body === null) {
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    throw new ApiError(
      response.status,
      messageOf(response.status, body, response.headers.get('retry-after')),
      undefined,
    );
  }
  for await (const message of serverSentEvents(response.body)) {
    if (message.event === 'status') yield JSON.parse(message.data) as Order;
  }
}

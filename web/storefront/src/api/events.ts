// GET /orders/{id}/events: the order's status changes as Server-Sent Events, read with fetch
// and parsed by hand (sse.ts). Not EventSource: it cannot send an Authorization header, and the
// token must not travel in the URL (URLs end up in logs, histories and Referer headers).
import { send } from './client.ts';
import { ApiError, messageOf } from './errors.ts';
import { serverSentEvents } from './sse.ts';
import { type Order } from './types.ts';

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

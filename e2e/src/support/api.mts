// A small client of Junction's public REST API, used the way a person would use it.
import { HttpJson, orderBody, type OrderRequest, Shopper } from '@junction/testkit';
import { type E2eTopology } from './topology.mts';

export interface Order {
  id: string;
  userId: string;
  mode: 'blocking' | 'queued';
  status: 'pending' | 'confirmed' | 'rejected';
  reason: string;
  totalCents: number;
  lines: { sku: string; quantity: number }[];
  history: { status: string; reason: string; at: string }[];
}

export interface Session {
  readonly userId: string;
  readonly accessToken: string;
  readonly refreshToken: string;
}

export interface Reply<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

export class Api {
  private readonly topology: Pick<E2eTopology, 'url'>;

  constructor(topology: Pick<E2eTopology, 'url'>) {
    this.topology = topology;
  }

  async request<T = unknown>(
    service: string,
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Reply<T>> {
    const response = await fetch(this.topology.url(service, path), {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    const body = (text ? JSON.parse(text) : undefined) as T;
    return { status: response.status, body, headers: response.headers };
  }

  /** Registers a new user (unique email) and logs in: testkit's shopper. */
  async newSession(): Promise<Session> {
    const http = new HttpJson();
    try {
      const shopper = await Shopper.register(http, this.topology.url('auth', ''), {
        label: 'e2e',
        displayName: 'E2E',
        password: 'correct horse battery',
      });
      const { userId, accessToken, refreshToken } = shopper;
      return { userId, accessToken, refreshToken };
    } finally {
      http.close();
    }
  }

  placeOrder(
    session: Session,
    order: OrderRequest,
    idempotencyKey?: string,
  ): Promise<Reply<Order>> {
    return this.request<Order>('orders', 'POST', '/orders', {
      token: session.accessToken,
      body: orderBody(order),
      headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
    });
  }

  async order(session: Session, id: string): Promise<Order> {
    const reply = await this.request<Order>('orders', 'GET', `/orders/${id}`, {
      token: session.accessToken,
    });
    if (reply.status !== 200) throw new Error(`GET /orders/${id}: ${String(reply.status)}`);
    return reply.body;
  }

  /** Polls an order until it is terminal. */
  async settled(session: Session, id: string, timeoutMs = 30_000): Promise<Order> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const order = await this.order(session, id);
      if (order.status !== 'pending') return order;
      if (Date.now() > deadline)
        throw new Error(`order ${id} still pending after ${String(timeoutMs)} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async available(sku: string): Promise<number> {
    const reply = await this.request<{ available: number }>(
      'inventory',
      'GET',
      `/inventory/items/${sku}`,
    );
    return reply.body.available;
  }

  /** Reads GET /orders/:id/events to its end; returns the statuses the stream carried. */
  async streamEvents(
    session: Session,
    id: string,
    timeoutMs = 30_000,
  ): Promise<{ status: number; events: Order[] }> {
    const response = await fetch(this.topology.url('orders', `/orders/${id}/events`), {
      headers: { authorization: `Bearer ${session.accessToken}`, accept: 'text/event-stream' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    const events = text
      .split('\n\n')
      .filter((block) => block.includes('event: status'))
      .map(
        (block) =>
          JSON.parse(
            block
              .split('\n')
              .find((line) => line.startsWith('data: '))
              ?.slice(6) ?? '{}',
          ) as Order,
      );
    return { status: response.status, events };
  }
}

// The API calls of the pages, one function each (the paths are the gateway's routes).
import { call } from './client.ts';
import { getSession, signIn, signOut } from './session.ts';
import { type Order, type StockedItem, type TokenPair } from './types.ts';

export async function catalog(): Promise<StockedItem[]> {
  return (await call<{ items: StockedItem[] }>('/inventory/items')).body.items;
}

export async function logIn(email: string, password: string): Promise<void> {
  const tokens = await call<TokenPair>('/auth/login', {
    method: 'POST',
    body: { email, password },
  });
  signIn(tokens.body, email);
}

export async function register(
  email: string,
  password: string,
  displayName: string,
): Promise<void> {
  await call('/auth/register', { method: 'POST', body: { email, password, displayName } });
}

/** Ends the session at auth too (its refresh token stops working); locally in any case. */
export async function logOut(): Promise<void> {
  const session = getSession();
  signOut();
  if (session === undefined) return;
  try {
    await call('/auth/logout', { method: 'POST', body: { refreshToken: session.refreshToken } });
  } catch {
    // Already over at auth, or auth is away: the tokens are gone from this tab either way.
  }
}

export async function myOrders(): Promise<Order[]> {
  const { orders } = (await call<{ orders: Order[] }>('/orders', { auth: true })).body;
  return [...orders].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export async function order(id: string): Promise<{ order: Order; traceresponse: string | null }> {
  const answer = await call<Order>(`/orders/${encodeURIComponent(id)}`, { auth: true });
  return { order: answer.body, traceresponse: answer.headers.get('traceresponse') };
}

/** libs/platform's FaultAdminReport, as /shop/api/faults/{service} passes it on. */
export interface FaultReport {
  readonly service: string;
  readonly operations: readonly string[];
  readonly defaults: { readonly latencyMs: number; readonly errorRate: number };
  readonly runtime: Readonly<Record<string, string>>;
}

export type FaultService = 'payment' | 'inventory';

export async function faults(service: FaultService): Promise<FaultReport> {
  return (await call<FaultReport>(`/shop/api/faults/${service}`)).body;
}

export async function setFaults(
  service: FaultService,
  change: { latencyMs: number; errorRate: number },
): Promise<FaultReport> {
  return (await call<FaultReport>(`/shop/api/faults/${service}`, { method: 'PUT', body: change }))
    .body;
}

export async function clearFaults(service: FaultService): Promise<FaultReport> {
  return (await call<FaultReport>(`/shop/api/faults/${service}`, { method: 'DELETE' })).body;
}

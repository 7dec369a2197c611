// The users the load places orders as: registered and logged in over auth's public API.
import { randomUUID } from 'node:crypto';

export interface Shopper {
  readonly userId: string;
  readonly accessToken: string;
}

/** Registers `count` new users (unique emails) and logs each in. */
export function registerShoppers(authBaseUrl: string, count: number): Promise<Shopper[]> {
  return Promise.all(Array.from({ length: count }, () => registerShopper(authBaseUrl)));
}

async function registerShopper(authBaseUrl: string): Promise<Shopper> {
  const email = `chaos-${randomUUID()}@example.test`;
  const password = 'correct horse battery';
  const registered = await postJson<{ user: { id: string } }>(`${authBaseUrl}/auth/register`, {
    email,
    password,
    displayName: 'Chaos',
  });
  const login = await postJson<{ accessToken: string }>(`${authBaseUrl}/auth/login`, {
    email,
    password,
  });
  return { userId: registered.user.id, accessToken: login.accessToken };
}

async function postJson<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${url}: ${String(response.status)} ${text}`);
  return JSON.parse(text) as T;
}

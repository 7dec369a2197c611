// The users the load places orders as: testkit's shoppers, registered and logged in over auth's
// public API.
import { HttpJson, Shopper } from '@junction/testkit';

export { type Shopper };

/** Registers `count` new users (unique emails) and logs each in. */
export async function registerShoppers(authBaseUrl: string, count: number): Promise<Shopper[]> {
  const http = new HttpJson();
  try {
    return await Promise.all(
      Array.from({ length: count }, () =>
        Shopper.register(http, authBaseUrl, {
          label: 'chaos',
          displayName: 'Chaos',
          password: 'correct horse battery',
          timeoutMs: 10_000,
        }),
      ),
    );
  } finally {
    http.close();
  }
}

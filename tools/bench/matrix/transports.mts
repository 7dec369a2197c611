// The three ways to ask inventory for one item, each measured through Junction and against the
// raw floor with the same client: only the server differs.
import { openAmqpClient } from './amqp-client.mts';
import { openGrpcClient } from './grpc-client.mts';
import { openRestClient } from './rest-client.mts';

export const TRANSPORTS = ['rest', 'grpc', 'amqp'] as const;
export type Transport = (typeof TRANSPORTS)[number];

/** In the order each cell runs them. */
export const IMPLEMENTATIONS = ['floor', 'junction'] as const;
export type Implementation = (typeof IMPLEMENTATIONS)[number];

/** Where one implementation serves GetItem over each transport. */
export interface GetItemEndpoints {
  /** Base URL; the client GETs `/inventory/items/<sku>?padding=N`. */
  readonly restUrl: string;
  /** host:port of junction.inventory.v1.InventoryService. */
  readonly grpcTarget: string;
  /** The broker (the client's own connection) and the request queue. */
  readonly amqp: { readonly url: string; readonly queue: string };
}

export interface ClientOptions {
  readonly sku: string;
  readonly paddingBytes: number;
  /** Calls in flight at once (sizes the HTTP connection pool). */
  readonly concurrency: number;
}

/** One client: `call` asks for the item once, decodes the reply and checks its padding. */
export interface GetItemClient {
  call(): Promise<void>;
  close(): Promise<void>;
}

export function openClient(
  transport: Transport,
  endpoints: GetItemEndpoints,
  options: ClientOptions,
): Promise<GetItemClient> {
  switch (transport) {
    case 'rest':
      return Promise.resolve(openRestClient(endpoints.restUrl, options));
    case 'grpc':
      return Promise.resolve(openGrpcClient(endpoints.grpcTarget, options));
    case 'amqp':
      return openAmqpClient(endpoints.amqp.url, endpoints.amqp.queue, options);
  }
}

export class WrongReply extends Error {}

// What both sides of the transport matrix answer: one catalog item read from inventory's Redis
// keys (the same two reads as InventoryRepository.findItem) plus the padding asked for.
import { DEFAULT_SKU } from '@junction/testkit';

export const BENCH_SKU = DEFAULT_SKU;

/** The payload sizes of the matrix: the bytes of padding in each GetItem reply. */
export const PAYLOAD_SIZES = [64, 4096, 262_144] as const;

export interface Item {
  readonly sku: string;
  readonly name: string;
  readonly priceCents: number;
  readonly available: number;
}

/** Length of the base64 text of `bytes` bytes, as proto3 JSON carries `bytes` fields. */
export function base64Length(bytes: number): number {
  return 4 * Math.ceil(bytes / 3);
}

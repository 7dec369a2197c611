import { MAX_PADDING_BYTES } from './inventory.schemas';

/** One filler buffer for every padded reply; replies are views of it (it is never written). */
const FILLER = Buffer.alloc(MAX_PADDING_BYTES, 'junction-padding-');

/** `bytes` bytes of filler, without copying. */
export function paddingOf(bytes: number): Buffer {
  return FILLER.subarray(0, bytes);
}

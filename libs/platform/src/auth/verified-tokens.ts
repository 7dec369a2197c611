/** How long a verified token is taken on trust at most, and how many are kept. */
export interface VerifiedTokensLimits {
  readonly maxAgeMs: number;
  readonly maxEntries: number;
}

interface Entry<T> {
  readonly value: T;
  /** Epoch ms after which the entry is not used (the token's `exp`, or the max age). */
  readonly until: number;
  /** The key set the token was verified with (jose's `uat`, when it stored the set). */
  readonly keySet: number | undefined;
}

/**
 * What a verifier found out about tokens it verified, by the whole compact token (header,
 * payload and signature: a token that differs in one byte is another entry). An entry is used
 * only before its `until` and only while the key set is the one that verified it; the oldest
 * entry makes room when the map is full (insertion order, O(1)).
 */
export class VerifiedTokens<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly limits: VerifiedTokensLimits) {}

  get(token: string, now: number, keySet: number | undefined): T | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (now < entry.until && entry.keySet === keySet) return entry.value;
    this.entries.delete(token);
    return undefined;
  }

  /** Keeps `value` until the token expires (`expiresAt`, epoch ms) or the max age, whichever is first. */
  set(token: string, value: T, now: number, expiresAt: number, keySet: number | undefined): void {
    const until = Math.min(expiresAt, now + this.limits.maxAgeMs);
    if (until <= now) return;
    this.entries.delete(token);
    this.entries.set(token, { value, until, keySet });
    if (this.entries.size > this.limits.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

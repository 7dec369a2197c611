/**
 * auth's signing keys and their two-phase rotation. A new key is first only *published* (in the
 * JWKS, beside the key that signs), and signs only once the publication delay has passed — at
 * least as long as the verifiers keep a key set — so every verifier either already holds the new
 * `kid` or holds a set old enough to be fetched again. A key that stopped signing stays published
 * until every token it signed has expired. Every replica derives all of this from the same
 * stored key ring and the time, so they agree without talking to each other.
 */
export interface SigningKey {
  readonly kid: string;
  /** When it was first published (epoch ms). */
  readonly publishedAt: number;
  /** From when it signs (epoch ms): `publishedAt` + the publication delay (the first key: at once). */
  readonly signsFrom: number;
}

export interface RotationPolicy {
  /** How long a key signs before the next one takes over. */
  readonly rotationIntervalMs: number;
  /** How long a new key is published before it signs (≥ the verifiers' JWKS max age). */
  readonly publicationDelayMs: number;
  /** How long a key stays published after it stopped signing: the tokens' lifetime + leeway. */
  readonly retentionMs: number;
}

/** The key that signs at `now`: the newest whose `signsFrom` has come. */
export function signingKeyAt<K extends SigningKey>(keys: readonly K[], now: number): K | undefined {
  let signing: K | undefined;
  for (const key of keys) {
    if (key.signsFrom <= now && (!signing || key.signsFrom > signing.signsFrom)) signing = key;
  }
  return signing;
}

/** When `key` stopped signing (its successor's `signsFrom`), or undefined while it still does. */
function retiredAt(keys: readonly SigningKey[], key: SigningKey, now: number): number | undefined {
  let successor: number | undefined;
  for (const other of keys) {
    if (other.signsFrom > key.signsFrom && other.signsFrom <= now) {
      successor = Math.min(successor ?? other.signsFrom, other.signsFrom);
    }
  }
  return successor;
}

/** Whether a retired key's tokens have all expired, so it can leave the key set. */
export function isExpired(
  keys: readonly SigningKey[],
  key: SigningKey,
  now: number,
  policy: RotationPolicy,
): boolean {
  const retired = retiredAt(keys, key, now);
  return retired !== undefined && now >= retired + policy.retentionMs;
}

/** The keys the JWKS publishes at `now`: the signing one, the next one, and retired ones in use. */
export function publishedKeysAt<K extends SigningKey>(
  keys: readonly K[],
  now: number,
  policy: RotationPolicy,
): K[] {
  return keys
    .filter((key) => !isExpired(keys, key, now, policy))
    .sort((a, b) => b.signsFrom - a.signsFrom);
}

/**
 * When the next key must be published, if now: the signing key has signed for its interval less
 * the publication delay, and no next key is published yet. The answer is the next key's
 * `signsFrom`; undefined when nothing is due (or there is no key at all: that is the first key's
 * job, which signs at once).
 */
export function nextKeyDue(
  keys: readonly SigningKey[],
  now: number,
  policy: RotationPolicy,
): number | undefined {
  const signing = signingKeyAt(keys, now);
  if (!signing) return undefined;
  if (keys.some((key) => key.signsFrom > now)) return undefined;
  const publishBy = signing.signsFrom + policy.rotationIntervalMs - policy.publicationDelayMs;
  return now >= publishBy ? now + policy.publicationDelayMs : undefined;
}

/** A stored signing key: its metadata and the private key (PKCS#8 PEM). */
export interface StoredSigningKey extends SigningKey {
  readonly privateKeyPem: string;
}

/**
 * The key ring all auth replicas share. `addAfter` adds a key only if the newest key stored is
 * still `newestKid` (none: ''), atomically, so of several replicas that find a rotation due at
 * once exactly one publishes its key; the others read it on their next load.
 */
export abstract class SigningKeyStore {
  abstract load(): Promise<StoredSigningKey[]>;
  abstract addAfter(newestKid: string, key: StoredSigningKey): Promise<boolean>;
  abstract remove(kid: string): Promise<void>;
}

/** The newest key of a ring (by publication), which `addAfter` compares against. */
export function newestKid(keys: readonly SigningKey[]): string {
  let newest: SigningKey | undefined;
  for (const key of keys) if (!newest || key.publishedAt > newest.publishedAt) newest = key;
  return newest?.kid ?? '';
}

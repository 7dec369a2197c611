// A user of the shop: registers over auth's public API with a unique email, logs in, and keeps
// a valid access token (refreshing it shortly before it expires), as a real client would.
import { randomUUID } from 'node:crypto';
import { type HttpJson } from './http-json.mts';

interface TokenPair {
  readonly accessToken: string;
  readonly refreshToken: string;
}

export interface ShopperIdentity {
  /** The email's local part starts with it: `load`, `chaos`, `e2e`. */
  readonly label: string;
  readonly displayName: string;
  /** Default: a new random one. */
  readonly password?: string;
  readonly timeoutMs?: number;
}

const REFRESH_BEFORE_EXPIRY_MS = 60_000;

export class Shopper {
  readonly userId: string;
  private tokens: TokenPair;
  private expiresAt: number;
  private refreshing: Promise<void> | undefined;
  private readonly http: HttpJson;
  private readonly authUrl: string;

  private constructor(http: HttpJson, authUrl: string, userId: string, tokens: TokenPair) {
    this.http = http;
    this.authUrl = authUrl;
    this.userId = userId;
    this.tokens = tokens;
    this.expiresAt = expiryOf(tokens.accessToken);
  }

  /** Registers a new user at `authUrl` (where /auth/* is served) and logs in. */
  static async register(
    http: HttpJson,
    authUrl: string,
    identity: ShopperIdentity,
  ): Promise<Shopper> {
    const email = `${identity.label}-${randomUUID()}@example.test`;
    const password = identity.password ?? `${identity.label} ${randomUUID()}`;
    const timeoutMs = identity.timeoutMs ?? 30_000;
    const registered = await http.send<{ user?: { id: string } }>(
      'POST',
      `${authUrl}/auth/register`,
      { body: { email, password, displayName: identity.displayName }, timeoutMs },
    );
    if (registered.status !== 201 && registered.status !== 200) {
      throw new Error(
        `register answered ${String(registered.status)} at ${authUrl}: ${JSON.stringify(registered.body)}`,
      );
    }
    const login = await http.send<TokenPair>('POST', `${authUrl}/auth/login`, {
      body: { email, password },
      timeoutMs,
    });
    if (login.status !== 200) throw new Error(`login answered ${String(login.status)}`);
    return new Shopper(http, authUrl, registered.body.user?.id ?? '', login.body);
  }

  /** The access token of the last login or refresh (see token() for one that is still valid). */
  get accessToken(): string {
    return this.tokens.accessToken;
  }

  get refreshToken(): string {
    return this.tokens.refreshToken;
  }

  /** A valid access token, refreshed (once, whoever asks) when it is about to expire. */
  async token(): Promise<string> {
    if (Date.now() > this.expiresAt - REFRESH_BEFORE_EXPIRY_MS) {
      this.refreshing ??= this.refresh().finally(() => {
        this.refreshing = undefined;
      });
      await this.refreshing;
    }
    return this.tokens.accessToken;
  }

  private async refresh(): Promise<void> {
    const reply = await this.http.send<TokenPair>('POST', `${this.authUrl}/auth/refresh`, {
      body: { refreshToken: this.tokens.refreshToken },
    });
    if (reply.status !== 200) throw new Error(`refresh answered ${String(reply.status)}`);
    this.tokens = reply.body;
    this.expiresAt = expiryOf(reply.body.accessToken);
  }
}

/** The `exp` of a JWT, in ms (not verified: the client only needs to know when to refresh). */
function expiryOf(jwt: string): number {
  const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as {
    exp?: number;
  };
  return (payload.exp ?? 0) * 1000;
}

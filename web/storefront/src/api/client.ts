// Every call of the app to the API: same-origin paths only (the gateway routes them), the
// bearer token attached, and one refresh when an answer is 401 (then, if that fails, the
// session is over: the app goes back to the login page with "your session expired").
import { context } from '@opentelemetry/api';
import { ApiError, messageOf, SESSION_EXPIRED } from './errors.ts';
import { getSession, rotate, signOut } from './session.ts';
import { type TokenPair } from './types.ts';

export interface CallOptions {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Send the access token (and refresh it on a 401). */
  readonly auth?: boolean;
  readonly signal?: AbortSignal;
}

export interface Answer<T> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

let onExpired: (message: string) => void = () => undefined;

/** What the app does when the session cannot be renewed (App: back to the login page). */
export function whenSessionExpires(handler: (message: string) => void): void {
  onExpired = handler;
}

let refreshing: Promise<boolean> | undefined;

/**
 * One refresh at a time: the refresh token is single use, so calls that fail together share
 * the one rotation instead of spending the token twice.
 */
function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    const session = getSession();
    if (session === undefined) return false;
    try {
      const response = await fetch('/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: session.refreshToken }),
      });
      if (!response.ok) return false;
      rotate((await response.json()) as TokenPair);
      return true;
    } catch {
      return false;
    }
  })().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

/**
 * The raw response of one call (a stream's too). fetch is started in the OpenTelemetry context
 * that was active when the call began (the checkout click's span): the web SDK's context
 * manager does not follow awaits, so a retry after a refresh would otherwise lose its parent.
 */
export async function send(path: string, options: CallOptions = {}): Promise<Response> {
  const active = context.active();
  const attempt = (): Promise<Response> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const token = getSession()?.accessToken;
    if (options.auth === true && token !== undefined) headers.authorization = `Bearer ${token}`;
    return context.with(active, () =>
      fetch(path, {
        method: options.method ?? 'GET',
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      }),
    );
  };
  const first = await attempt();
  if (first.status !== 401 || options.auth !== true) return first;
  if (getSession() !== undefined && (await refresh())) {
    const second = await attempt();
    if (second.status !== 401) return second;
  }
  signOut();
  onExpired(SESSION_EXPIRED);
  throw new ApiError(401, SESSION_EXPIRED, undefined);
}

async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A JSON call; a status of 400 or more is an ApiError with the message to show. */
export async function call<T>(path: string, options: CallOptions = {}): Promise<Answer<T>> {
  const response = await send(path, options);
  const body = await bodyOf(response);
  if (!response.ok) {
    throw new ApiError(
      response.status,
      messageOf(response.status, body, response.headers.get('retry-after')),
      typeof body === 'object' ? (body as ApiError['body']) : undefined,
    );
  }
  return { status: response.status, body: body as T, headers: response.headers };
}

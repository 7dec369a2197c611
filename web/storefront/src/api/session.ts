// The signed-in session: the tokens and the email typed at login. Kept in memory, and copied to
// sessionStorage so that a reload or a new page of the same tab stays signed in, while closing
// the tab ends it; never localStorage (shared by every tab, kept for good) and never a cookie
// (the API reads a bearer header, and a cookie would make every same-site request carry it).
import { type TokenPair } from './types.ts';

const KEY = 'junction.session';

export interface Session {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly email: string;
}

type Listener = (session: Session | undefined) => void;

function restore(): Session | undefined {
  try {
    const stored = sessionStorage.getItem(KEY);
    if (stored === null) return undefined;
    const parsed = JSON.parse(stored) as Partial<Session>;
    if (typeof parsed.accessToken !== 'string' || typeof parsed.refreshToken !== 'string') {
      return undefined;
    }
    return {
      accessToken: parsed.accessToken,
      refreshToken: parsed.refreshToken,
      email: parsed.email ?? '',
    };
  } catch {
    return undefined;
  }
}

let current: Session | undefined = restore();
const listeners = new Set<Listener>();

export function getSession(): Session | undefined {
  return current;
}

function set(session: Session | undefined): void {
  current = session;
  if (session === undefined) sessionStorage.removeItem(KEY);
  else sessionStorage.setItem(KEY, JSON.stringify(session));
  for (const listener of listeners) listener(session);
}

export function signIn(tokens: TokenPair, email: string): void {
  set({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, email });
}

/** A refresh rotated the tokens: same person, new pair. */
export function rotate(tokens: TokenPair): void {
  set({
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    email: current?.email ?? '',
  });
}

export function signOut(): void {
  set(undefined);
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

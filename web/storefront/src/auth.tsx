// The session as React state: re-renders whoever shows it when someone logs in or out.
import { useSyncExternalStore } from 'react';
import { getSession, onSessionChange, type Session } from './api/session.ts';

export function useSession(): Session | undefined {
  return useSyncExternalStore(onSessionChange, getSession);
}

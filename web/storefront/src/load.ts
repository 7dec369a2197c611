// Loads what a page shows from the API, again when `reload` is called.
import { useCallback, useEffect, useState } from 'react';
import { describeError } from './api/errors.ts';

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: string | undefined;
  readonly loading: boolean;
  readonly reload: () => void;
}

export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({
    loading: true,
  });
  const [round, setRound] = useState(0);
  const reload = useCallback(() => {
    setRound((r) => r + 1);
  }, []);
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => {
        if (current) setState({ data, loading: false });
      },
      (error: unknown) => {
        if (current) setState({ error: describeError(error), loading: false });
      },
    );
    return () => {
      current = false;
    };
    // `load` is a new closure on every render; `key` says when it asks for something else.
  }, [key, round]);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

// Client-side routes under /shop/ (the server answers index.html for each of them): the
// History API, a store of the current path, and links that navigate without a reload.
import { type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';
import { Store, useStore } from './store.ts';

export const BASE = '/shop';

const path = new Store<string>(window.location.pathname + window.location.search);
window.addEventListener('popstate', () => {
  path.set(window.location.pathname + window.location.search);
});

export function navigate(to: string, { replace = false } = {}): void {
  if (replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  path.set(to);
  window.scrollTo(0, 0);
}

export function usePath(): string {
  return useStore(path);
}

/** The route's params when `pattern` (e.g. /shop/orders/:id) matches the path. */
export function match(pattern: string, current: string): Record<string, string> | undefined {
  const [pathname = ''] = current.split('?');
  const want = pattern.split('/');
  const got = pathname.replace(/\/$/, '').split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of want.entries()) {
    const value = got[index] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(value);
    else if (part !== value) return undefined;
  }
  return params;
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & {
  readonly to: string;
  readonly children: ReactNode;
};

export function Link({ to, children, ...rest }: LinkProps) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>): void => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
      return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}

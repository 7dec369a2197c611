// A page: its <title>, its one <h1> (focused when the route changes, so a screen reader starts
// there), and a status region for what the page announces.
import { type ReactNode, useEffect, useRef } from 'react';

export function Page({
  title,
  children,
}: {
  readonly title: string;
  readonly children: ReactNode;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Junction shop`;
    heading.current?.focus();
  }, [title]);
  return (
    <>
      <h1 tabIndex={-1} ref={heading}>
        {title}
      </h1>
      {children}
    </>
  );
}

/** An error the person must read: announced at once. */
export function ErrorMessage({ message }: { readonly message: string | undefined }) {
  if (message === undefined) return null;
  return (
    <p className="error" role="alert">
      {message}
    </p>
  );
}

/** Something done, announced politely. */
export function Notice({ message }: { readonly message: string | undefined }) {
  return (
    <p className="notice" role="status">
      {message ?? ''}
    </p>
  );
}

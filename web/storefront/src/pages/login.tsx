// Log in and register. After a login the person goes back where they were sent from
// (?next=/shop/...), or to the catalog.
import { type SubmitEvent, useState } from 'react';
import { describeError } from '../api/errors.ts';
import { logIn, register } from '../api/shop.ts';
import { ErrorMessage, Page } from '../components/page.tsx';
import { Link, navigate } from '../router.tsx';

/** Where to go after the login: ?next= on /shop/login, else the page that asked for a login. */
function nextPage(): string {
  const { pathname, search } = window.location;
  const next =
    pathname === '/shop/login' ? (new URLSearchParams(search).get('next') ?? '') : pathname;
  // Only a page of the shop: never a redirect to elsewhere.
  return /^\/shop\/[\w\-/]*$/.test(next) ? next : '/shop/';
}

export function LoginPage({ flash }: { readonly flash: string | undefined }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = (event: SubmitEvent): void => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    logIn(email, password).then(
      () => {
        navigate(nextPage(), { replace: true });
      },
      (failure: unknown) => {
        setError(describeError(failure));
        setBusy(false);
      },
    );
  };
  return (
    <Page title="Log in">
      <ErrorMessage message={flash} />
      <form className="form" onSubmit={submit}>
        <label htmlFor="login-email">Email</label>
        <input
          id="login-email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => {
            setEmail(e.target.value);
          }}
        />
        <label htmlFor="login-password">Password</label>
        <input
          id="login-password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => {
            setPassword(e.target.value);
          }}
        />
        <ErrorMessage message={error} />
        <button type="submit" disabled={busy}>
          Log in
        </button>
      </form>
      <p>
        No account yet? <Link to="/shop/register">Register</Link>
      </p>
    </Page>
  );
}

export function RegisterPage() {
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = (event: SubmitEvent): void => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    register(email, password, displayName)
      .then(() => logIn(email, password))
      .then(
        () => {
          navigate('/shop/', { replace: true });
        },
        (failure: unknown) => {
          setError(describeError(failure));
          setBusy(false);
        },
      );
  };
  return (
    <Page title="Register">
      <form className="form" onSubmit={submit}>
        <label htmlFor="register-email">Email</label>
        <input
          id="register-email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => {
            setEmail(e.target.value);
          }}
        />
        <label htmlFor="register-name">Display name</label>
        <input
          id="register-name"
          type="text"
          autoComplete="nickname"
          required
          value={displayName}
          onChange={(e) => {
            setDisplayName(e.target.value);
          }}
        />
        <label htmlFor="register-password">Password (at least 8 characters)</label>
        <input
          id="register-password"
          type="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => {
            setPassword(e.target.value);
          }}
        />
        <ErrorMessage message={error} />
        <button type="submit" disabled={busy}>
          Register
        </button>
      </form>
      <p>
        Already registered? <Link to="/shop/login">Log in</Link>
      </p>
    </Page>
  );
}

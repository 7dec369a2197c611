// A bad config value stops a service with one line naming the variable and the rule — never the
// value, which may be a secret (a signing key, the password in a URL). Auth is started as a
// process from its built output with each bad secret; nothing else is needed, since the config
// is validated before anything connects.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PORT_OFFSET, REDIS_URL } from './support/environment.mts';

const ROOT = join(import.meta.dirname, '..', '..');
const EXIT_CONFIG = 78;

interface Exit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs auth with `env` (and nothing else but PATH) until it exits. */
function runAuth(env: Readonly<Record<string, string>>): Promise<Exit> {
  const child = spawn(process.execPath, [join(ROOT, 'services', 'auth', 'dist', 'main.js')], {
    cwd: join(ROOT, 'services', 'auth'),
    env: {
      PATH: process.env.PATH ?? '',
      REDIS_URL,
      HTTP_PORT: String(3001 + PORT_OFFSET),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

/** Every piece of a secret a reader could use: each line, and each run of 8+ characters of it. */
function partsOf(secret: string): string[] {
  const lines = secret.split('\n').filter((line) => line.length > 0);
  const runs = lines.flatMap((line) => line.match(/[A-Za-z0-9+/=]{8,}/g) ?? []);
  return [...lines, ...runs];
}

function assertRefusedWithoutEcho(exit: Exit, variable: string, rule: RegExp, secret: string[]) {
  assert.equal(exit.code, EXIT_CONFIG, `exit code (stderr: ${exit.stderr})`);
  const lines = exit.stderr.split('\n').filter((line) => line.length > 0);
  assert.equal(lines.length, 1, `one line, not a stack trace:\n${exit.stderr}`);
  for (const part of secret) {
    assert.ok(!exit.stderr.includes(part), `stderr echoes ${JSON.stringify(part)}`);
    assert.ok(!exit.stdout.includes(part), `stdout echoes ${JSON.stringify(part)}`);
  }
  assert.match(lines[0] ?? '', new RegExp(`^auth: invalid configuration: ${variable}: `));
  assert.match(lines[0] ?? '', rule);
}

/** A new private key as PEM text. */
function newKeyPem(kind: 'p256' | 'rsa', type: 'sec1' | 'pkcs8'): string {
  const { privateKey } =
    kind === 'p256'
      ? generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return privateKey.export({ type, format: 'pem' }).toString();
}

describe('a bad secret in the config', () => {
  it('stops auth with one line naming JWT_PRIVATE_KEY, not the key, when the key is SEC1', async () => {
    const sec1 = newKeyPem('p256', 'sec1');
    const exit = await runAuth({ JWT_PRIVATE_KEY: sec1 });
    assertRefusedWithoutEcho(exit, 'JWT_PRIVATE_KEY', /PKCS#8/, partsOf(sec1));
  });

  it('stops auth with one line, not the key, when a PKCS#8 key does not parse', async () => {
    const pkcs8 = newKeyPem('p256', 'pkcs8');
    const lines = pkcs8.trim().split('\n');
    // The header and the first line of the body only: the DER inside is cut short.
    const truncated = [...lines.slice(0, 2), lines.at(-1)].join('\n');
    const exit = await runAuth({ JWT_PRIVATE_KEY: truncated });
    assertRefusedWithoutEcho(
      exit,
      'JWT_PRIVATE_KEY',
      /does not parse as an EC P-256 key/,
      partsOf(lines[1] ?? ''),
    );
  });

  it('stops auth with one line, not the key, when the key is not a P-256 key', async () => {
    const rsa = newKeyPem('rsa', 'pkcs8');
    const exit = await runAuth({ JWT_PRIVATE_KEY: rsa });
    assertRefusedWithoutEcho(
      exit,
      'JWT_PRIVATE_KEY',
      /does not parse as an EC P-256 key/,
      partsOf(rsa),
    );
  });

  it('stops auth with one line naming REDIS_URL, not its password, when the URL is malformed', async () => {
    const signingKey = newKeyPem('p256', 'pkcs8');
    const url = 'redis://junction-auth:s3cr3t-Pa55word@127.0.0.1:not-a-port/0';
    const exit = await runAuth({ JWT_PRIVATE_KEY: signingKey, REDIS_URL: url });
    assertRefusedWithoutEcho(exit, 'REDIS_URL', /must be a redis or rediss URL/, [
      url,
      's3cr3t-Pa55word',
      'junction-auth:',
      'not-a-port',
    ]);
  });
});

// main.ts as a process: a bad setting exits 1 naming the variable, a start logs one JSON line
// with the settings (never the token), SIGTERM stops it with exit code 0.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { ADMIN_TOKEN, demoEnv } from './testing.mts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, out: () => stdout, err: () => stderr };
}

describe('main', () => {
  it('exits 1 with a message naming the bad variable', async () => {
    const { child, err } = run({ DEMO_PANEL: 'true', FAULT_ADMIN_TOKEN: ADMIN_TOKEN });
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 1);
    assert.equal(
      err(),
      'storefront: invalid configuration: DEMO_PANEL=true requires FAULT_PAYMENT_URL, FAULT_INVENTORY_URL\n',
    );
  });

  it('logs one JSON line with its settings at start, and stops on SIGTERM with 0', async () => {
    const { child, out } = run(demoEnv('http://127.0.0.1:3004', 'http://127.0.0.1:3005'));
    const deadline = Date.now() + 10_000;
    while (!out().includes('storefront started') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const started = out()
      .split('\n')
      .filter((line) => line.includes('storefront started'))
      .map((line) => JSON.parse(line) as { settings: Record<string, unknown>; url: string });
    assert.equal(started.length, 1, out());
    assert.equal(started[0]!.settings.demoPanel, true);
    assert.match(started[0]!.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.doesNotMatch(out(), new RegExp(ADMIN_TOKEN));

    const health = await fetch(`${started[0]!.url}/healthz`);
    assert.equal(health.status, 200);

    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 0);
  });
});

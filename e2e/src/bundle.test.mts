// The image-equivalent smoke test: each service's pruned production bundle, installed with
// production dependencies only into an empty directory, starts and answers /healthz — exactly
// what the Dockerfile's runtime stage does.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { bundle } from '../../tools/bundle/bundle.mts';
import { devSigningKey, portsOf, SERVICES as ALL } from '../../tools/local/topology.mts';

/** Every service of the local topology, generated ones included: each ships as an image. */
const SERVICES = Object.keys(ALL);
const OFFSET = 200;
const workdir = mkdtempSync(join(tmpdir(), 'junction-bundles-'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('production bundles', () => {
  after(() => {
    rmSync(workdir, { recursive: true, force: true });
  });

  for (const service of SERVICES) {
    it(`${service} runs from its bundle with production dependencies only`, async () => {
      const out = join(workdir, service);
      bundle(service, out);
      execFileSync(
        npm,
        [
          'install',
          '--omit=dev',
          '--no-audit',
          '--no-fund',
          '--prefer-offline',
          '--loglevel=error',
        ],
        {
          cwd: out,
          stdio: 'pipe',
        },
      );
      for (const devOnly of ['typescript', 'jest', 'nx', 'eslint', '@swc/core']) {
        assert.equal(
          existsSync(join(out, 'node_modules', devOnly)),
          false,
          `${devOnly} must not be installed`,
        );
      }
      const ports = portsOf(service, OFFSET);
      const child = spawn(process.execPath, ['dist/main.js'], {
        cwd: out,
        env: {
          PATH: process.env.PATH ?? '',
          HTTP_PORT: String(ports.http),
          ...(ports.grpc ? { GRPC_PORT: String(ports.grpc) } : {}),
          ...(service === 'auth' ? { JWT_PRIVATE_KEY: devSigningKey() } : {}),
          // Liveness must not depend on the broker or the store.
          REDIS_URL: 'redis://127.0.0.1:1',
          RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      try {
        let status = 0;
        for (let i = 0; i < 100 && status !== 200; i++) {
          status = await fetch(`http://127.0.0.1:${String(ports.http)}/healthz`)
            .then((response) => response.status)
            .catch(() => 0);
          if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
          assert.equal(child.exitCode, null, `${service} exited early:\n${output}`);
        }
        assert.equal(status, 200, output);
      } finally {
        child.kill('SIGTERM');
      }
      assert.equal(await exited, 0, output);
    });
  }
});

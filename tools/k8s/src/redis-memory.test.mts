import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { redisBytes } from '@junction/testkit';
import { PROFILES, render } from './charts.mts';
import { freePort } from './infra-files.mts';
import { workloads } from './objects.mts';

/** Bytes of a Kubernetes memory quantity (`128Mi`, `1Gi`, `500M`, `1048576`). */
function quantityBytes(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(quantity);
  assert.ok(match, `not a memory quantity: ${quantity}`);
  const units: Record<string, number> = {
    '': 1,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
  };
  return Number(match[1]) * (units[match[2] ?? ''] ?? NaN);
}

/** The rendered Redis container's command, its memory limit, and an option's value. */
function redisContainer(profile: (typeof PROFILES)[number]) {
  const redis = workloads(render(profile).infra).find((w) => w.id === 'StatefulSet/redis');
  assert.ok(redis, `${profile}: no StatefulSet/redis rendered`);
  const container = redis.containers.find((c) => c.name === 'redis');
  assert.ok(container?.command, `${profile}: the redis container has no command`);
  const command = container.command;
  const option = (name: string): string | undefined => {
    const at = command.indexOf(`--${name}`);
    return at < 0 ? undefined : command[at + 1];
  };
  const limit = container.resources?.limits?.memory;
  assert.ok(typeof limit === 'string', `${profile}: the redis container has no memory limit`);
  return { command, limit, option };
}

/** Resolves when redis-server says it accepts connections; rejects if it exits first. */
function untilReady(server: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    server.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    server.once('exit', (code) => {
      reject(new Error(`redis-server exited (${String(code)}) before it was ready:\n${output}`));
    });
  });
}

describe('the Redis of junction-infra: full means refusing writes, never evicting', () => {
  for (const profile of PROFILES) {
    it(`sets maxmemory below the container's memory limit, with noeviction (${profile})`, () => {
      const { limit, option } = redisContainer(profile);
      const maxmemory = option('maxmemory');
      assert.ok(maxmemory, `${profile}: redis-server runs without --maxmemory`);
      assert.equal(option('maxmemory-policy'), 'noeviction');
      const ratio = redisBytes(maxmemory) / quantityBytes(limit);
      assert.ok(ratio > 0 && ratio <= 0.8, `maxmemory ${maxmemory} vs limit ${limit}: ${ratio}`);
    });
  }

  it('is a command line redis-server accepts, with the limit and policy it renders', async () => {
    const { command } = redisContainer('default');
    const dir = mkdtempSync(path.join(tmpdir(), 'junction-redis-'));
    const port = await freePort();
    // The rendered command, run by the redis-server of this machine on a throw-away dir and port;
    // its ACL file (the chart's Secret) replaced by one whose `default` user needs no password
    // (tools/k8s/src/access.test.mts checks the rendered file itself).
    const aclFile = path.join(dir, 'users.acl');
    writeFileSync(aclFile, 'user default on nopass ~* &* +@all\n');
    const replaced: Record<string, string> = { '--dir': dir, '--aclfile': aclFile };
    const args = command.slice(1).map((arg, i, all) => replaced[all[i - 1] ?? ''] ?? arg);
    const server = spawn(command[0] ?? 'redis-server', [
      ...args,
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
    ]);
    const configOf = (name: string): string => {
      const reply = spawnSync('redis-cli', ['-p', String(port), '--raw', 'CONFIG', 'GET', name], {
        encoding: 'utf8',
      });
      assert.equal(reply.status, 0, reply.stderr);
      return reply.stdout.trim().split('\n')[1] ?? '';
    };
    try {
      await untilReady(server);
      const rendered = redisContainer('default').option('maxmemory') ?? '';
      assert.equal(Number(configOf('maxmemory')), redisBytes(rendered));
      assert.equal(configOf('maxmemory-policy'), 'noeviction');
    } finally {
      if (server.exitCode === null && server.signalCode === null) {
        const exited = once(server, 'exit');
        server.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

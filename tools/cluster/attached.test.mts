import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { runAttached } from './attached.mts';

const dir = mkdtempSync(path.join(tmpdir(), 'junction-attached-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A stand-in for skaffold: says it is ready in a file, and on SIGINT takes `finishMs` to finish
 * (its Helm release), writes `done` and exits 0 — or with `ignore`, does not stop at all.
 */
function fakeSkaffold(name: string, finishMs: number, ignore = false): string[] {
  const ready = path.join(dir, `${name}.ready`);
  const done = path.join(dir, `${name}.done`);
  const script = `
    const fs = require('node:fs');
    process.on('SIGINT', () => {
      ${ignore ? '' : `setTimeout(() => { fs.writeFileSync(${JSON.stringify(done)}, 'done'); process.exit(0); }, ${String(finishMs)});`}
    });
    fs.writeFileSync(${JSON.stringify(ready)}, 'ready');
    setInterval(() => {}, 1000);`;
  return ['-e', script, ready, done];
}

async function whenReady(file: string): Promise<void> {
  while (!existsSync(file)) await sleep(20);
}

describe(runAttached.name, () => {
  it('passes the exit code through when nobody interrupts', async () => {
    const outcome = await runAttached(process.execPath, ['-e', 'process.exit(3)'], {
      signals: new EventEmitter(),
      stdio: 'ignore',
    });
    assert.deepEqual(outcome, { code: 3, interrupted: false });
  });

  it('forwards one SIGINT and waits until skaffold has finished, however many Ctrl-C follow', async () => {
    const signals = new EventEmitter();
    const [flag, script, ready, done] = fakeSkaffold('graceful', 400);
    const lines: string[] = [];
    const running = runAttached(process.execPath, [flag ?? '', script ?? ''], {
      signals,
      stdio: 'ignore',
      log: (line) => lines.push(line),
    });
    await whenReady(ready ?? '');
    signals.emit('SIGINT');
    await sleep(50);
    signals.emit('SIGINT');
    const outcome = await running;
    assert.deepEqual(outcome, { code: 0, interrupted: true });
    assert.equal(readFileSync(done ?? '', 'utf8'), 'done', 'it finished its work before exiting');
    assert.match(lines[0] ?? '', /waiting for it to finish its Helm release/);
    assert.match(lines[1] ?? '', /killing it now can leave a Helm release pending/);
  });

  it('kills a skaffold that does not stop on the third Ctrl-C', async () => {
    const signals = new EventEmitter();
    const [flag, script, ready] = fakeSkaffold('stubborn', 0, true);
    const running = runAttached(process.execPath, [flag ?? '', script ?? ''], {
      signals,
      stdio: 'ignore',
      log: () => undefined,
    });
    await whenReady(ready ?? '');
    for (let i = 0; i < 3; i++) signals.emit('SIGINT');
    assert.deepEqual(await running, { code: 137, interrupted: true });
  });

  it('stops listening for signals once skaffold has exited', async () => {
    const signals = new EventEmitter();
    await runAttached(process.execPath, ['-e', ''], { signals, stdio: 'ignore' });
    assert.equal(signals.listenerCount('SIGINT'), 0);
  });
});

// `npm run bench:broker-bursts` against the machine's RabbitMQ, briefly: all five arms measured, each
// ratio with an interval, its vhost gone afterwards, and a bad option refused with the usage.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { rabbitmqctl } from '@junction/testkit';

const execFileAsync = promisify(execFile);
const TOOL = fileURLToPath(new URL('./broker-bursts.mts', import.meta.url));

interface Arm {
  readonly ratePerSecond: number;
  readonly brokerMsPerMessage: number;
  readonly clientMsPerMessage: number;
  readonly brokerRatio?: { readonly estimate: number; readonly low: number; readonly high: number };
}

describe('broker-bursts', () => {
  it('measures all five arms in a saga-shaped queue and removes its vhost', async () => {
    const args = ['--rounds', '1', '--seconds', '1', '--rate', '80', '--burst', '8'];
    const { stdout } = await execFileAsync(
      process.execPath,
      [TOOL, ...args, '--saga-queue', '--json'],
      {
        timeout: 120_000,
      },
    );
    const result = JSON.parse(stdout) as { sagaQueue: boolean; arms: Record<string, Arm> };
    assert.equal(result.sagaQueue, true);
    assert.deepEqual(Object.keys(result.arms).sort(), [
      'apart',
      'burst',
      'burstApart',
      'serial',
      'single',
    ]);
    for (const [name, arm] of Object.entries(result.arms)) {
      assert.ok(arm.ratePerSecond > 0, `${name}: a rate`);
      assert.ok(arm.brokerMsPerMessage > 0, `${name}: RabbitMQ's CPU per message`);
      if (name === 'burst') continue;
      const ratio = arm.brokerRatio;
      assert.ok(ratio && ratio.low <= ratio.estimate && ratio.estimate <= ratio.high, name);
    }
    // The open-loop arms keep their rate; the serial one is held to one confirm at a time.
    for (const name of ['single', 'apart'])
      assert.ok(Math.abs((result.arms[name]?.ratePerSecond ?? 0) - 80) < 16, `${name}: its rate`);
    const vhosts = await rabbitmqctl(['list_vhosts', '--no-table-headers']);
    assert.ok(!vhosts.split('\n').includes('junction-broker-bursts'), vhosts);
  });

  it('refuses a rate that is not a positive number, with its usage', async () => {
    await assert.rejects(execFileAsync(process.execPath, [TOOL, '--rate', 'fast']), (error) => {
      const failed = error as { code: number; stderr: string };
      assert.equal(failed.code, 2);
      assert.match(failed.stderr, /--rate must be a positive number, not fast/);
      assert.match(failed.stderr, /Usage: npm run bench:broker-bursts/);
      return true;
    });
  });
});

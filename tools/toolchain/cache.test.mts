import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { spawn } from 'node:child_process';
import { announceBuild, awaitTool, buildPending, endBuild, toolPath } from './cache.mts';
import { tool, TOOLS } from './tools.mts';

/** Points JUNCTION_TOOLS_CACHE at a fresh folder for the suite; the returned function gives its path. */
function withEmptyToolsCache(): () => string {
  let cache = '';
  const previous = process.env['JUNCTION_TOOLS_CACHE'];
  before(() => {
    cache = mkdtempSync(path.join(tmpdir(), 'junction-tools-'));
    process.env['JUNCTION_TOOLS_CACHE'] = cache;
  });
  after(() => {
    if (previous === undefined) delete process.env['JUNCTION_TOOLS_CACHE'];
    else process.env['JUNCTION_TOOLS_CACHE'] = previous;
    rmSync(cache, { recursive: true, force: true });
  });
  return () => cache;
}

describe('toolPath', () => {
  const cacheDir = withEmptyToolsCache();

  it('fails with the one command that builds a tool that is not built', () => {
    assert.throws(() => toolPath('kind'), /run `npm run tools:build -- kind`/);
  });

  it('gives the binary under <cache>/<name>-<version>/ once it is there', () => {
    const dir = path.join(cacheDir(), `kind-${tool('kind').version}`);
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'kind'), '');
    assert.equal(toolPath('kind'), path.join(dir, 'kind'));
  });
});

describe('awaitTool', () => {
  const cacheDir = withEmptyToolsCache();

  function marker(pid: number, pending: string[]): void {
    writeFileSync(
      path.join(cacheDir(), `building-${String(pid)}.json`),
      JSON.stringify({ pid, pending }),
    );
  }

  it('waits while a live build has the tool pending, and gives it once it is built', async () => {
    const builder = spawn('sleep', ['30']);
    try {
      marker(builder.pid ?? 0, ['helm', 'kind']);
      assert.equal(buildPending('kind'), true);
      const dir = path.join(cacheDir(), `kind-${tool('kind').version}`);
      const waited: string[] = [];
      setTimeout(() => {
        mkdirSync(dir);
        writeFileSync(path.join(dir, 'kind'), '');
      }, 300);
      const binary = await awaitTool('kind', {
        pollMs: 50,
        onWait: (line) => {
          waited.push(line);
        },
      });
      assert.equal(binary, path.join(dir, 'kind'));
      assert.equal(waited.length, 1, 'says once that it waits');
    } finally {
      builder.kill();
    }
  });

  it('fails at once, with the build command, when no live build has it pending', async () => {
    const gone = spawn('true');
    await new Promise((resolve) => gone.once('exit', resolve));
    marker(gone.pid ?? 0, ['skaffold']); // a build that was killed left its marker
    assert.equal(buildPending('skaffold'), false);
    await assert.rejects(awaitTool('skaffold', { pollMs: 50 }), /tools:build -- skaffold/);
  });

  it('announces this process’s own build, and ends it', () => {
    announceBuild(['istioctl']);
    // Our own pid is alive, so another process would wait for it.
    assert.equal(buildPending('istioctl'), true);
    endBuild();
    assert.equal(buildPending('istioctl'), false);
  });
});

describe('TOOLS', () => {
  it('names each tool once', () => {
    const names = TOOLS.map((t) => t.name);
    assert.deepEqual(names, [...new Set(names)]);
  });
});

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { toolPath } from './cache.mts';
import { tool, TOOLS } from './tools.mts';

describe('toolPath', () => {
  let cache: string;
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

  it('fails with the one command that builds a tool that is not built', () => {
    assert.throws(() => toolPath('kind'), /run `node tools\/toolchain\/build\.mts kind`/);
  });

  it('gives the binary under <cache>/<name>-<version>/ once it is there', () => {
    const dir = path.join(cache, `kind-${tool('kind').version}`);
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'kind'), '');
    assert.equal(toolPath('kind'), path.join(dir, 'kind'));
  });
});

describe('TOOLS', () => {
  it('names each tool once', () => {
    const names = TOOLS.map((t) => t.name);
    assert.deepEqual(names, [...new Set(names)]);
  });
});

// The committed OpenAPI documents (docs/openapi) are the ones the built services make, and the
// check names a document that drifted. The services are built by the test target's dependsOn.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadTopology } from '@junction/topology';
import { declaredRoutes, DOCS_DIR, documentedRoutes, generateDocuments } from './documents.mts';

const GENERATE = join(import.meta.dirname, 'generate.mts');
const scratch = mkdtempSync(join(tmpdir(), 'junction-openapi-'));

function check(dir: string): { status: number; output: string } {
  try {
    const stdout = execFileSync(process.execPath, [GENERATE, '--check', '--dir', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { status: 0, output: stdout };
  } catch (error) {
    const { status, stderr } = error as { status: number; stderr: string };
    return { status, output: stderr };
  }
}

after(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('openapi:generate', () => {
  describe('--check', () => {
    it('passes on the committed documents', () => {
      const result = check(DOCS_DIR);
      assert.equal(result.status, 0, result.output);
    });

    it('fails naming a committed document that differs from the code', () => {
      const dir = join(scratch, 'drifted');
      cpSync(DOCS_DIR, dir, { recursive: true });
      const file = join(dir, 'payment.json');
      const document = JSON.parse(readFileSync(file, 'utf8')) as { info: { title: string } };
      document.info.title = 'edited by hand';
      writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
      const result = check(dir);
      assert.equal(result.status, 1);
      assert.match(result.output, /stale: .*drifted\/payment\.json/);
      assert.doesNotMatch(result.output, /orders\.json/);
    });
  });
});

describe(generateDocuments.name, () => {
  it('documents exactly the public routes topology.yaml gives each service', async () => {
    const services = loadTopology().services;
    const documents = await generateDocuments();
    assert.deepEqual(
      documents.map((d) => d.service),
      Object.values(services)
        .filter((s) => s.routes.length > 0)
        .map((s) => s.name),
    );
    for (const { service, document } of documents) {
      const declared = services[service];
      assert.ok(declared);
      assert.deepEqual(documentedRoutes(document), declaredRoutes(declared));
    }
  });
});

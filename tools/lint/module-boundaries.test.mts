/**
 * The Nx tags and their constraints (eslint.config.mjs, @nx/enforce-module-boundaries): fixtures
 * linted by ESLint as if they were files of the given projects, against the workspace's project
 * graph, to prove that a forbidden dependency fails lint and an allowed one passes. Only the two
 * rules that draw the boundaries run, without type information (the files exist only here).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const BOUNDARY_RULES = new Set(['@nx/enforce-module-boundaries', 'no-restricted-imports']);

const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
  ruleFilter: ({ ruleId }) => BOUNDARY_RULES.has(ruleId),
});

/** The boundary errors of one import written in a file at `filePath`. */
async function errorsOf(filePath: string, specifier: string): Promise<string[]> {
  const code = `export * from '${specifier}';\n`;
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, filePath) });
  assert.ok(result, `no lint result for ${filePath}`);
  return result.messages.map((message) => `${message.ruleId ?? 'fatal'}: ${message.message}`);
}

async function assertFails(filePath: string, specifier: string, pattern: RegExp): Promise<void> {
  const errors = await errorsOf(filePath, specifier);
  assert.ok(
    errors.some((error) => pattern.test(error)),
    `${filePath} importing ${specifier}: expected ${String(pattern)}, got ${JSON.stringify(errors)}`,
  );
}

describe('the module boundaries (eslint.config.mjs)', () => {
  describe('product libraries', () => {
    it('keep their layers: a lower one cannot import a higher one', async () => {
      await assertFails('libs/contracts/src/x.ts', '@junction/platform', /^@nx\//);
      await assertFails('libs/platform/src/x.ts', '@junction/messaging', /^@nx\//);
    });

    it('let a higher layer import a lower one', async () => {
      assert.deepEqual(await errorsOf('libs/messaging/src/x.ts', '@junction/platform'), []);
      assert.deepEqual(await errorsOf('libs/platform/src/x.ts', '@junction/contracts'), []);
    });
  });

  describe('services', () => {
    it('cannot import another service', async () => {
      await assertFails('services/orders/src/x.ts', '@junction/payment', /"type:app" can only/);
    });

    it("cannot import the repository's tooling libraries", async () => {
      await assertFails('services/orders/src/x.ts', '@junction/topology', /^@nx\//);
    });

    it('cannot import another project by relative path', async () => {
      await assertFails('services/orders/src/x.ts', '../../../libs/platform/src/index', /relative/);
    });

    it('import their own files by any relative path', async () => {
      const adapter = 'services/orders/src/adapters/in/http/order.controller.ts';
      assert.deepEqual(await errorsOf(adapter, '../../../domain/order'), []);
    });

    it('import the product libraries', async () => {
      assert.deepEqual(await errorsOf('services/orders/src/x.ts', '@junction/messaging'), []);
    });
  });

  describe('tools and e2e', () => {
    it('tools cannot import a service', async () => {
      await assertFails('tools/local/x.mts', '@junction/auth', /"type:tool" can only/);
    });

    it('e2e cannot import a service, by name or by path', async () => {
      await assertFails('e2e/src/x.test.mts', '@junction/auth', /"type:e2e" can only/);
      await assertFails('e2e/src/x.test.mts', '../../services/auth/src/main.ts', /relative path/);
      await assertFails('e2e/src/support/x.mts', '../../../libs/platform/src/index.ts', /relative/);
    });

    it('e2e reaches the tools by relative path', async () => {
      assert.deepEqual(await errorsOf('e2e/src/x.test.mts', '../../tools/local/topology.mts'), []);
      assert.deepEqual(
        await errorsOf('e2e/src/support/x.mts', '../../../tools/trace/otlp.mts'),
        [],
      );
    });
  });
});

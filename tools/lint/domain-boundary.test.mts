/**
 * The workspace lint config (eslint.config.mjs) holds a service's domain pure: these fixtures
 * are linted by ESLint itself, as if they were files at the given paths, to prove the rules
 * bite where they should and stay quiet where they should not. Only the two rules that carry
 * the domain ban run, without type information: the rest of the config needs a tsconfig that
 * includes the file, and these files exist only here.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ESLint, type Linter } from 'eslint';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const DOMAIN_RULES = new Set(['no-restricted-imports', 'no-restricted-syntax']);

const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
  ruleFilter: ({ ruleId }) => DOMAIN_RULES.has(ruleId),
});

async function lint(filePath: string, code: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, filePath) });
  assert.ok(result, `no lint result for ${filePath}`);
  return result.messages;
}

function messagesOf(messages: Linter.LintMessage[]): string[] {
  return messages.map((message) => `${message.ruleId ?? 'fatal'}: ${message.message}`);
}

/** The one message of a lint that must report exactly one. */
function single(messages: Linter.LintMessage[]): Linter.LintMessage {
  const [message, ...more] = messages;
  assert.ok(message && more.length === 0, messagesOf(messages).join('\n'));
  return message;
}

const DOMAIN_FILE = 'services/payment/src/domain/payment.service.ts';
/** A service the generator has just emitted: the rule covers every services/<svc>/src/domain. */
const GENERATED_DOMAIN_FILE = 'services/shipping/src/domain/shipping.service.ts';

const BANNED_PACKAGES = [
  '@nestjs/microservices',
  '@nestjs/platform-fastify',
  '@nestjs/core',
  'fastify',
  '@grpc/grpc-js',
  '@junction/contracts',
  '@junction/messaging',
  'ioredis',
  'amqplib',
  '@opentelemetry/api',
  'pino',
  'node:crypto',
  'crypto',
  '@node-rs/argon2',
  'jose',
  '../adapters/out/redis/payment.repository',
];

describe('the domain boundary (eslint.config.mjs)', () => {
  describe('imports', () => {
    it('fails a domain file that imports ioredis, naming the store port to ask instead', async () => {
      const messages = await lint(
        DOMAIN_FILE,
        "import { type Redis } from 'ioredis';\n\nexport type Store = Redis;\n",
      );
      const message = single(messages);
      assert.equal(message.ruleId, 'no-restricted-imports');
      assert.match(message.message, /PaymentStore.*adapters\/out\/redis/);
    });

    it('fails every technology the domain must reach through a port', async () => {
      for (const banned of BANNED_PACKAGES) {
        const messages = await lint(
          GENERATED_DOMAIN_FILE,
          `import * as banned from '${banned}';\n\nexport const used = banned;\n`,
        );
        assert.deepEqual(
          messages.map((message) => message.ruleId),
          ['no-restricted-imports'],
          `${banned}: ${messagesOf(messages).join('; ')}`,
        );
      }
    });

    it('fails a domain file that imports its adapters, naming ports.ts', async () => {
      const messages = await lint(
        DOMAIN_FILE,
        "export { PaymentRepository } from '../adapters/out/redis/payment.repository';\n",
      );
      const message = single(messages);
      assert.match(message.message, /domain\/ports\.ts/);
    });

    it('lets an adapter import ioredis', async () => {
      const messages = await lint(
        'services/payment/src/adapters/out/redis/payment.repository.ts',
        "import { type Redis } from 'ioredis';\n\nexport type Store = Redis;\n",
      );
      assert.deepEqual(messagesOf(messages), []);
    });
  });

  describe('calls', () => {
    it('fails Date.now(), naming the Clock port', async () => {
      const messages = await lint(DOMAIN_FILE, 'export const now = (): number => Date.now();\n');
      const message = single(messages);
      assert.equal(message.ruleId, 'no-restricted-syntax');
      assert.match(message.message, /Clock port from @junction\/platform/);
    });

    it('fails new Date() without arguments, naming the Clock port', async () => {
      const messages = await lint(
        GENERATED_DOMAIN_FILE,
        'export const now = (): Date => new Date();\n',
      );
      const message = single(messages);
      assert.match(message.message, /Clock port/);
    });

    it('fails Math.random() and the global crypto, naming IdGenerator', async () => {
      const messages = await lint(
        DOMAIN_FILE,
        'export const id = (): string => String(Math.random()) + crypto.randomUUID();\n',
      );
      assert.equal(messages.length, 2, messagesOf(messages).join('\n'));
      for (const message of messages) assert.match(message.message, /IdGenerator/);
    });

    it('lets an adapter read the clock', async () => {
      const messages = await lint(
        'services/payment/src/adapters/out/amqp/payment-events.publisher.ts',
        'export const occurredAt = (): string => new Date().toISOString() + String(Date.now());\n',
      );
      assert.deepEqual(messagesOf(messages), []);
    });
  });

  it('passes a clean domain file: Nest DI, platform ports and errors, its own files, its config', async () => {
    const messages = await lint(
      DOMAIN_FILE,
      [
        "import { Injectable } from '@nestjs/common';",
        "import { Clock, DomainError, IdGenerator } from '@junction/platform';",
        "import { type AppConfig } from '../config';",
        "import { type Payment } from './payment';",
        "import { PaymentStore } from './ports';",
        '',
        '@Injectable()',
        'export class PaymentService {',
        '  constructor(',
        '    private readonly store: PaymentStore,',
        '    private readonly clock: Clock,',
        '    private readonly ids: IdGenerator,',
        '  ) {}',
        '',
        '  expiry(config: AppConfig, payment: Payment): Date {',
        "    if (!this.ids.newId()) throw new DomainError('NOT_FOUND', 'no id');",
        '    return new Date(this.clock.now().getTime() + config.ttlMs + payment.amount);',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    assert.deepEqual(messagesOf(messages), []);
  });
});

// One lint config for the whole workspace: type-aware, zero warnings (each project runs
// `eslint . --max-warnings 0`), module boundaries enforced from the Nx tags in package.json,
// every package a project imports declared in that project's package.json, and the domain of
// each service kept pure (it asks a port instead of reaching for a technology).
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import jsoncParser from 'jsonc-eslint-parser';
import tseslint from 'typescript-eslint';

const TYPESCRIPT = ['**/*.ts', '**/*.mts'];

const ASK_A_PORT = 'The domain asks a port (domain/ports.ts) instead';

/**
 * What a service's domain (services/<svc>/src/domain/**, the generator's output included) never
 * imports, each with the port to ask instead. Allowed there: @nestjs/common, @junction/platform
 * (DomainError, Clock, IdGenerator, ...), zod for a real domain rule, ./ files and ../config.
 */
const DOMAIN_BANNED_IMPORTS = [
  {
    group: ['@nestjs/microservices', '@nestjs/platform-*', '@nestjs/core', 'fastify', '@grpc/*'],
    message: `Transports live in adapters/in and adapters/out; the domain exposes methods, throws DomainError (@junction/platform), and reaches peers through a port of the service (e.g. StockReserver in domain/ports.ts) that an adapters/out/grpc client extends.`,
  },
  {
    group: ['@junction/contracts', '@junction/contracts/*'],
    message: `Generated contracts are mapped in the adapters (adapters/in mappers, adapters/out publishers and clients); the domain declares its own types (<model>.ts) and ports (domain/ports.ts).`,
  },
  {
    group: ['@junction/messaging', '@junction/messaging/*', 'amqplib'],
    message: `${ASK_A_PORT}: an events port of the service (e.g. PaymentEvents) that an adapters/out/amqp publisher extends.`,
  },
  {
    group: ['ioredis'],
    message: `${ASK_A_PORT}: a store of the service (e.g. PaymentStore) that an adapters/out/redis repository extends.`,
  },
  {
    group: ['@opentelemetry/*', 'pino'],
    message: `Telemetry stays out of the domain: the platform and the adapters trace and log; the domain may use Logger from @nestjs/common.`,
  },
  {
    group: ['crypto', 'node:crypto'],
    message: `Ask IdGenerator from @junction/platform for ids, or a port of the service (e.g. PasswordHasher, TokenSigner in domain/ports.ts) for hashing and signing.`,
  },
  {
    group: ['@node-rs/argon2', 'jose'],
    message: `${ASK_A_PORT}: PasswordHasher or TokenSigner, extended by an adapters/out/crypto adapter.`,
  },
  {
    regex: '(^|/)adapters(/|$)',
    message: `The domain does not know its adapters: declare a port in domain/ports.ts, let the adapter extend it, and bind the two in app.module.ts.`,
  },
];

/** What a service's domain never calls: the clock and randomness are ports too. */
const DOMAIN_BANNED_CALLS = [
  {
    selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
    message: 'Ask the Clock port from @junction/platform (clock.now()) instead of Date.now().',
  },
  {
    selector: "NewExpression[callee.name='Date'][arguments.length=0]",
    message:
      'Ask the Clock port from @junction/platform (clock.now()) instead of new Date() without arguments.',
  },
  {
    selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
    message:
      'Ask IdGenerator from @junction/platform for ids, or a port of the service for other randomness, instead of Math.random().',
  },
  {
    selector: "MemberExpression[object.name='crypto']",
    message:
      'Ask IdGenerator from @junction/platform for ids, or a port of the service for hashing and signing, instead of the global crypto.',
  },
];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/generated/**',
      '**/*.cjs',
      '**/*.mjs',
      'charts/**',
    ],
  },
  {
    files: TYPESCRIPT,
    extends: [js.configs.recommended, ...tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@nx': nx },
    rules: {
      // Also fails a relative import into another project (it knows where each project ends), so
      // that projects reach each other by package name, while a deep relative import inside a
      // project (adapters/in/http/x.ts -> ../../../domain/ports) is fine.
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries()],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports' },
      ],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // Nest modules and DTO classes are legitimately empty or static-only.
      '@typescript-eslint/no-extraneous-class': 'off',
      // Nest declares plain option bags as classes (NestApplicationContextOptions, ...).
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
    },
  },
  {
    // node:test's describe/it return promises that the runner itself awaits.
    files: ['**/*.test.mts'],
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // End-to-end tests drive the repository's own scripts (local topology, bundler, chaos, the
    // k8s renderers) as a user would. Those are scripts in tools/, not packages with entry
    // points, so e2e imports them by relative path — the one relative import across projects
    // the workspace allows (tools/ only: a relative path into libs/ or services/ still fails).
    // Its package imports keep the type:e2e constraint (libraries and tools, never a service).
    files: ['e2e/**/*.mts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        moduleBoundaries({ allow: ['../../tools/**', '../../../tools/**'] }),
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./){2,}(?!tools/|\\.\\./)',
              message:
                'e2e imports libraries by package name (@junction/...) and reaches only tools/ by relative path.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // The domain of every service, and of every service the generator emits, stays pure.
    files: ['services/*/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: DOMAIN_BANNED_IMPORTS }],
      'no-restricted-syntax': ['error', ...DOMAIN_BANNED_CALLS],
    },
  },
  {
    // Every package a project imports is declared in its own package.json, and nothing it no
    // longer imports stays there (@nx/dependency-checks reads the imports from the Nx graph).
    // Built projects are checked on the files of their build (specs excluded); the others
    // (tools, e2e), never published nor bundled, on all their files through their typecheck
    // target, and they too declare what they import under dependencies: the rule reads only
    // the sections a package installs with (dependencies, peer and optional dependencies).
    files: ['**/package.json'],
    languageOptions: { parser: jsoncParser },
    plugins: { '@nx': nx },
    rules: { '@nx/dependency-checks': ['error', dependencyChecks()] },
  },
  {
    // Resolved by path, not imported: its proto files (for the health and reflection client).
    files: ['e2e/package.json'],
    rules: { '@nx/dependency-checks': ['error', dependencyChecks(['@grpc/reflection'])] },
  },
  prettier,
);

/**
 * The Nx tags of package.json, and what each may depend on:
 *   - the product libraries are layered, a lower layer never importing a higher one:
 *     layer:contracts (generated code, imports no project) < layer:platform < layer:messaging;
 *   - services (type:app) use those product libraries only: never each other, never the
 *     repository's tooling libraries (@junction/topology, toolchain, docker, ...);
 *   - the other libraries (type:lib) use libraries only, never a tool, a service or e2e;
 *   - the tools (type:tool) use libraries; e2e (type:e2e) uses libraries and tools (the latter
 *     by relative path: see the e2e override above).
 */
function moduleBoundaries({ allow = [] } = {}) {
  const productLibraries = ['layer:contracts', 'layer:platform', 'layer:messaging'];
  return {
    enforceBuildableLibDependency: true,
    allow,
    depConstraints: [
      { sourceTag: 'layer:contracts', onlyDependOnLibsWithTags: [] },
      { sourceTag: 'layer:platform', onlyDependOnLibsWithTags: ['layer:contracts'] },
      {
        sourceTag: 'layer:messaging',
        onlyDependOnLibsWithTags: ['layer:platform', 'layer:contracts'],
      },
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: productLibraries },
      { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
      { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib'] },
      { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
    ],
  };
}

/** @nx/dependency-checks, with the packages a project uses without importing them. */
function dependencyChecks(ignoredDependencies = []) {
  return {
    buildTargets: ['build', 'typecheck'],
    // Loaded by a computed import in tools/k8s (the Istio schema of each kind validated); only
    // that project declares it. Named here, not in an override of tools/k8s/package.json,
    // because tools/k8s lints with its own config file, where the paths start at tools/k8s.
    ignoredDependencies: ['@kubernetes-models/istio', ...ignoredDependencies],
  };
}

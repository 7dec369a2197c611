// The workspace config (type-aware, the node:test allowances for *.test.mts), extended to the
// app's .tsx files. No globals list for the browser or Node: typescript-eslint turns no-undef
// off, since the compiler checks every name (src/tsconfig.json has the DOM's lib, the server's
// tsconfig Node's types). No React lint plugin is installed in the workspace.
import { readFileSync } from 'node:fs';
import workspace from '../../eslint.config.mjs';

const withTsx = (config) =>
  config.files?.includes('**/*.ts') ? { ...config, files: [...config.files, '**/*.tsx'] } : config;

// The app's packages (React, the OTel web SDK, Vite) are devDependencies: Vite bundles them
// into dist/public, and the server, the one thing installed to run, needs only its own
// dependencies (fastify and its two plugins). @nx/dependency-checks, which reads the imports of
// the whole project, is told so.
const { devDependencies } = JSON.parse(
  readFileSync(new URL('./package.json', import.meta.url), 'utf8'),
);

export default [
  ...workspace.map(withTsx),
  {
    files: ['package.json'],
    rules: {
      '@nx/dependency-checks': [
        'error',
        { buildTargets: ['build', 'typecheck'], ignoredDependencies: Object.keys(devDependencies) },
      ],
    },
  },
];

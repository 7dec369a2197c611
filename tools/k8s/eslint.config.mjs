// The workspace config, plus the test-file allowances the root grants *.spec.ts, for this
// package's node:test files (describe/it return promises the runner awaits itself).
import root from '../../eslint.config.mjs';

export default [
  ...root,
  {
    files: ['**/*.test.mts'],
    rules: {
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
];

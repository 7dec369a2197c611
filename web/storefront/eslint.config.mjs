// The workspace config (type-aware, the node:test allowances for *.test.mts), extended to the
// app's .tsx files. No globals list for the browser or Node: typescript-eslint turns no-undef
// off, since the compiler checks every name (src/tsconfig.json has the DOM's lib, the server's
// tsconfig Node's types). No React lint plugin is installed in the workspace.
import workspace from '../../eslint.config.mjs';

const withTsx = (config) =>
  config.files?.includes('**/*.ts') ? { ...config, files: [...config.files, '**/*.tsx'] } : config;

export default workspace.map(withTsx);

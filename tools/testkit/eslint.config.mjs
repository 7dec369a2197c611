// The workspace config (it carries the node:test allowances for *.test.mts).
export { default } from '../../eslint.config.mjs';

// npm run topology:generate [-- --check]: writes the files derived from topology.yaml, or with
// --check writes nothing and fails, naming the files, when any of them would change.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  ACCESS_FILE,
  BROKER_DEFINITIONS_FILE,
  CONTRACTS_FILE,
  generatedFiles,
  README_FILE,
  SCHEMA_FILE,
  SKAFFOLD_FILE,
  staleFiles,
  VALUES_FILE,
} from './generate.mts';
import { REPO_ROOT } from './topology.mts';

const { values } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(`usage: npm run topology:generate [-- --check]

Regenerates from topology.yaml: ${[VALUES_FILE, SCHEMA_FILE, SKAFFOLD_FILE, CONTRACTS_FILE, BROKER_DEFINITIONS_FILE, ACCESS_FILE, README_FILE].join(', ')}.
--check  write nothing; exit 1 naming the files that are out of date.`);
  process.exit(0);
}
if (values.check) {
  const stale = await staleFiles();
  if (stale.length > 0) {
    console.error(
      `out of date with topology.yaml: ${stale.join(', ')}\nrun: npm run topology:generate`,
    );
    process.exit(1);
  }
  console.log('generated files match topology.yaml');
} else {
  for (const [file, text] of await generatedFiles()) {
    writeFileSync(path.join(REPO_ROOT, file), text);
    console.log(`wrote ${file}`);
  }
}

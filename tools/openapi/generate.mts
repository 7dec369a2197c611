/**
 * `npm run openapi:generate`: writes docs/openapi/<service>.json from the built services (build
 * them first). `-- --check` writes nothing and fails, naming the files, when a committed document
 * differs from the generated one; `--dir <folder>` compares or writes elsewhere.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '@junction/topology';
import { DOCS_DIR, documentFile, documentText, generateDocuments } from './documents.mts';

const { values } = parseArgs({
  options: { check: { type: 'boolean', default: false }, dir: { type: 'string' } },
});
const dir = values.dir ?? DOCS_DIR;
const documents = await generateDocuments();
const stale: string[] = [];
for (const { service, document } of documents) {
  const file = documentFile(service, dir);
  const text = await documentText(document);
  const committed = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  if (committed === text) continue;
  stale.push(relative(REPO_ROOT, file));
  if (!values.check) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, text);
  }
}
const expected = new Set(documents.map((d) => `${d.service}.json`));
const extra = existsSync(dir)
  ? readdirSync(dir).filter((name) => name.endsWith('.json') && !expected.has(name))
  : [];
if (values.check) {
  if (stale.length > 0 || extra.length > 0) {
    for (const file of stale) console.error(`stale: ${file}`);
    for (const name of extra)
      console.error(`of no service: ${relative(REPO_ROOT, `${dir}/${name}`)}`);
    console.error('the OpenAPI documents differ from the code: npm run openapi:generate');
    process.exit(1);
  }
  console.log(`the ${documents.length} OpenAPI documents are up to date`);
} else {
  for (const name of extra) console.warn(`of no service (remove it): ${basename(name)}`);
  console.log(
    stale.length > 0
      ? `wrote ${stale.join(', ')}`
      : `the ${documents.length} OpenAPI documents are up to date`,
  );
}

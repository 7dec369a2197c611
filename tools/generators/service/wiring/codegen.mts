// Regenerates libs/contracts/src/generated from the proto/ of the generator's tree (not the
// disk: the new .proto files exist only in the tree until Nx writes it), with the workspace's
// pinned buf and ts-proto — the same output `npm run proto:generate` produces, file for file.
import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { type Tree, visitNotIgnoredFiles } from '@nx/devkit';

export const GENERATED_DIR = 'libs/contracts/src/generated';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function treeFiles(tree: Tree, dir: string): string[] {
  const files: string[] = [];
  if (tree.exists(dir)) visitNotIgnoredFiles(tree, dir, (path) => files.push(path));
  return files;
}

/** Writes the tree's proto/ and buf config into `work`, the plugin path made absolute. */
function stage(tree: Tree, work: string): void {
  for (const path of [...treeFiles(tree, 'proto'), 'buf.yaml']) {
    mkdirSync(dirname(join(work, path)), { recursive: true });
    writeFileSync(join(work, path), tree.read(path) ?? '');
  }
  const plugins = (tree.read('buf.gen.yaml', 'utf8') ?? '').replace(
    /local: node_modules\//g,
    `local: ${join(tree.root, 'node_modules')}/`,
  );
  writeFileSync(join(work, 'buf.gen.yaml'), plugins);
}

/** buf lint + buf generate; throws with buf's own message when a .proto file is wrong. */
export function regenerateContracts(tree: Tree): void {
  const work = mkdtempSync(join(tmpdir(), 'junction-codegen-'));
  try {
    stage(tree, work);
    const buf = join(tree.root, 'node_modules', '.bin', 'buf');
    for (const args of [['lint'], ['generate']]) {
      try {
        execFileSync(buf, args, { cwd: work, stdio: 'pipe' });
      } catch (error) {
        const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
        const stdout = (error as { stdout?: Buffer }).stdout?.toString() ?? '';
        throw new Error(`buf ${args.join(' ')} failed:\n${stdout}${stderr}`);
      }
    }
    const fresh = join(work, GENERATED_DIR);
    const produced = new Set<string>();
    for (const file of filesUnder(fresh)) {
      const path = join(GENERATED_DIR, relative(fresh, file));
      produced.add(path);
      const content = readFileSync(file);
      if (!tree.exists(path) || !content.equals(tree.read(path) ?? Buffer.alloc(0)))
        tree.write(path, content);
    }
    for (const path of treeFiles(tree, GENERATED_DIR)) if (!produced.has(path)) tree.delete(path);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// Helpers for the generators' own tests: a tree over the real workspace (reads the disk, keeps
// every write in memory, so the tests see the repository as it is and never change it).
import { spawnSync } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { join } from 'node:path';
import { type Tree } from '@nx/devkit';
import { FsTree } from 'nx/src/generators/tree';

export const WORKSPACE = join(import.meta.dirname, '..', '..', '..');

export function workspaceTree(): Tree {
  return new FsTree(WORKSPACE, false);
}

/** What the tree would write, as Nx's dry run lists it: `CREATE path`, `UPDATE path`, ... */
export function changes(tree: Tree): string[] {
  return tree
    .listChanges()
    .map((change) => `${change.type} ${change.path}`)
    .sort();
}

/** The changes that would really alter the disk (an UPDATE back to the same bytes is none). */
export function effectiveChanges(tree: Tree): string[] {
  return tree
    .listChanges()
    .filter((change) => {
      if (change.type !== 'UPDATE') return true;
      const before = new FsTree(WORKSPACE, false).read(change.path);
      return !before?.equals(change.content ?? Buffer.alloc(0));
    })
    .map((change) => `${change.type} ${change.path}`);
}

/** Runs `nx g <args>` in the workspace (Node 24, no daemon): exit status and all it printed. */
export function nxGenerate(args: readonly string[]): { status: number; output: string } {
  const result = spawnSync(
    process.execPath,
    [join(WORKSPACE, 'node_modules', '.bin', 'nx'), 'g', ...args, '--no-interactive'],
    { cwd: WORKSPACE, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } },
  );
  return {
    status: result.status ?? 1,
    output: stripVTControlCharacters(`${result.stdout}${result.stderr}`),
  };
}

// A throw-away copy of the workspace, for tests that change the repository itself (the service
// generator): the files git knows (tracked, plus untracked ones that are not ignored, as they are
// in the working tree), with node_modules shared with the original — except the workspace
// packages, whose links point into the copy, as `npm install` would make them.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** The folders npm workspaces live in (package.json "workspaces", expanded one level). */
function workspaceDirs(root: string): string[] {
  const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    workspaces: string[];
  };
  return workspaces.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    if (!existsSync(join(root, parent))) return [];
    return readdirSync(join(root, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${parent}/${entry.name}`);
  });
}

/** The workspace packages of `root` by folder: `{ 'libs/platform': '@junction/platform', ... }`. */
export function workspacePackages(root: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const dir of workspaceDirs(root)) {
    const manifest = join(root, dir, 'package.json');
    if (!existsSync(manifest)) continue;
    found[dir] = (JSON.parse(readFileSync(manifest, 'utf8')) as { name: string }).name;
  }
  return found;
}

/** Copies the files git sees in `root` (tracked and untracked-not-ignored) into `into`. */
export function copySources(root: string, into: string): number {
  const listed = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const files = [...new Set(listed.split('\0').filter(Boolean))];
  let copied = 0;
  for (const file of files) {
    const source = join(root, file);
    // Deleted in the working tree but still in the index: the copy mirrors the working tree.
    if (!existsSync(source) || lstatSync(source).isDirectory()) continue;
    mkdirSync(dirname(join(into, file)), { recursive: true });
    cpSync(source, join(into, file), { preserveTimestamps: true, verbatimSymlinks: true });
    copied += 1;
  }
  return copied;
}

/** (Re)creates `node_modules/@scope/name` → the workspace folder, for every workspace of `root`. */
export function linkWorkspacePackages(root: string): void {
  for (const [dir, name] of Object.entries(workspacePackages(root))) {
    const link = join(root, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    rmSync(link, { force: true, recursive: true });
    symlinkSync(relative(dirname(link), join(root, dir)), link);
  }
}

/**
 * Shares `root`'s installed dependencies with the copy: every entry of node_modules (and of the
 * workspaces' own node_modules) becomes a symlink into `root`, except the workspace packages'
 * scope, which is a real folder of links into the copy.
 */
export function linkDependencies(root: string, into: string): void {
  const scopes = new Set(Object.values(workspacePackages(into)).map((name) => name.split('/')[0]));
  mkdirSync(join(into, 'node_modules'), { recursive: true });
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (scopes.has(entry)) continue;
    symlinkSync(join(root, 'node_modules', entry), join(into, 'node_modules', entry));
  }
  for (const dir of workspaceDirs(root)) {
    const nested = join(root, dir, 'node_modules');
    if (existsSync(nested) && existsSync(join(into, dir)))
      symlinkSync(nested, join(into, dir, 'node_modules'));
  }
  linkWorkspacePackages(into);
}

/** Copies built output (`<project>/dist`) of the given workspace folders from `root`. */
export function copyBuildOutput(root: string, into: string, dirs: readonly string[]): void {
  for (const dir of dirs) {
    const dist = join(root, dir, 'dist');
    if (!existsSync(dist)) throw new Error(`${dir}/dist is missing: build the workspace first`);
    cpSync(dist, join(into, dir, 'dist'), { recursive: true, preserveTimestamps: true });
  }
}

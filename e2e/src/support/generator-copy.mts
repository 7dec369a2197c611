// A copy of the workspace to run the service generator in (see workspace-copy.mts), with the
// helpers the generator test drives it by: run a command there, run nx there, and compare its
// source files (and the web apps' part of it) before and after.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { copyBuildOutput, copySources, linkDependencies } from './workspace-copy.mts';

/** Folders that are not sources: installed, built, cached or generated at run time. */
const NOT_SOURCES = new Set(['node_modules', 'dist', '.nx', '.local', 'coverage', '.git']);

export interface CommandResult {
  readonly status: number;
  readonly output: string;
}

export class WorkspaceCopy {
  readonly root: string;

  private constructor(root: string) {
    this.root = root;
  }

  /**
   * Copies `from` (its files as git sees them in the working tree), links its dependencies, and
   * reuses the build output of `prebuilt` projects (ones the generator does not change).
   */
  static create(from: string, prebuilt: readonly string[]): WorkspaceCopy {
    const root = mkdtempSync(join(tmpdir(), 'junction-generator-'));
    copySources(from, root);
    linkDependencies(from, root);
    copyBuildOutput(from, root, prebuilt);
    return new WorkspaceCopy(root);
  }

  path(...parts: string[]): string {
    return join(this.root, ...parts);
  }

  /** A module of the copy, imported from its own path (so it works on the copy's files). */
  async import(file: string): Promise<unknown> {
    return (await import(pathToFileURL(this.path(file)).href)) as unknown;
  }

  /** Runs a command in the copy, its node_modules/.bin first on PATH (as npm scripts run). */
  run(command: string, args: readonly string[], env: Record<string, string> = {}): CommandResult {
    // Without the marker node:test sets for its child processes, a `node --test` run in the
    // copy runs its files instead of deferring to this test run.
    const inherited = { ...process.env };
    delete inherited.NODE_TEST_CONTEXT;
    const result = spawnSync(command, args, {
      cwd: this.root,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      env: {
        ...inherited,
        PATH: `${this.path('node_modules', '.bin')}:${process.env.PATH ?? ''}`,
        NX_DAEMON: 'false',
        NX_NO_CLOUD: 'true',
        NX_TUI: 'false',
        ...env,
      },
    });
    return {
      status: result.status ?? 1,
      output: stripVTControlCharacters(`${result.stdout}${result.stderr}`),
    };
  }

  /** `nx <args>` in the copy, on this Node (24). */
  nx(...args: string[]): CommandResult {
    return this.run(process.execPath, [this.path('node_modules', '.bin', 'nx'), ...args]);
  }

  /** path → sha256 of every source file of the copy. */
  sources(): Map<string, string> {
    const found = new Map<string, string>();
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (NOT_SOURCES.has(entry.name)) continue;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.isFile()) {
          const hash = createHash('sha256').update(readFileSync(path)).digest('hex');
          found.set(relative(this.root, path), hash);
        }
      }
    };
    walk(this.root);
    return found;
  }
}

/** What differs between two `sources()` snapshots: `added x`, `changed y`, `removed z`. */
export function sourceDifferences(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
): string[] {
  const differences: string[] = [];
  for (const [path, hash] of after) {
    if (!before.has(path)) differences.push(`added ${path}`);
    else if (before.get(path) !== hash) differences.push(`changed ${path}`);
  }
  for (const path of before.keys()) if (!after.has(path)) differences.push(`removed ${path}`);
  return differences.sort();
}

/**
 * What the generators must leave alone, as it is in the copy: the sources of the web apps (web/,
 * path → sha256) and topology.yaml's `web:` section (its text).
 */
export function webAppParts(copy: WorkspaceCopy): Record<string, string> {
  const parts = Object.fromEntries(
    [...copy.sources()].filter(([path]) => path.startsWith(`web${sep}`)),
  );
  const topology = readFileSync(copy.path('topology.yaml'), 'utf8');
  const web = /^web:\n(?:(?: .*)?\n)*/m.exec(topology)?.[0];
  if (!web || Object.keys(parts).length === 0)
    throw new Error('the copy has no web/ sources or no web: section in topology.yaml');
  return { ...parts, 'topology.yaml web:': web };
}

/** The last lines of a long output, for assertion messages. */
export const tail = (output: string, lines = 60): string =>
  output.split('\n').slice(-lines).join('\n');

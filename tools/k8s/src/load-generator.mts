import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { repoPath } from './repo.mts';

/** The chart's optional load generator: its Deployment and ServiceAccount. */
export const LOAD_GENERATOR = 'load-generator';

/** What the load image runs (the Dockerfile's `load` stage). */
export const LOAD_ENTRY = 'tools/bench/load.mts';

const STATIC = /^[ \t]*(?:import|export)\s+(type\s+)?(?:[^;'"]*?\bfrom\s*)?['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/**
 * The modules a file loads when Node runs it: static imports and re-exports, side-effect imports
 * and dynamic imports with a literal specifier. `import type` / `export type` statements are
 * left out: type stripping erases them, so nothing is loaded for them.
 */
export function runtimeImports(source: string): string[] {
  const specifiers = [...source.matchAll(STATIC)].flatMap((m) =>
    m[1] === undefined && m[2] !== undefined ? [m[2]] : [],
  );
  for (const m of source.matchAll(DYNAMIC)) if (m[1] !== undefined) specifiers.push(m[1]);
  return specifiers;
}

const isBuiltin = (specifier: string): boolean =>
  specifier.startsWith('node:') || builtinModules.includes(specifier);

/**
 * Every file (repository-relative) that running `entry` loads, `entry` first, following relative
 * imports. Throws on any other import than a Node built-in: the load image has no node_modules.
 */
export function localImportClosure(entry: string, read = readRepoFile): string[] {
  const seen: string[] = [];
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.shift() ?? '';
    if (seen.includes(file)) continue;
    seen.push(file);
    for (const specifier of runtimeImports(read(file))) {
      if (isBuiltin(specifier)) continue;
      if (!specifier.startsWith('./') && !specifier.startsWith('../')) {
        throw new Error(
          `${file} imports ${specifier}: the load image has Node built-ins only, no node_modules`,
        );
      }
      pending.push(path.posix.join(path.posix.dirname(file), specifier));
    }
  }
  return seen;
}

function readRepoFile(relative: string): string {
  return readFileSync(repoPath(relative), 'utf8');
}

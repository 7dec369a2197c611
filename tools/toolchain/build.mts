/**
 * Builds the pinned Go tools (tools.mts) into the tools cache, skipping those already there:
 *
 *   npm run tools:build [-- names…]     (no names: every tool)
 *
 * A fresh machine builds once (slow: tens of minutes for all of them on 2 cores), a warm one
 * reuses `${JUNCTION_TOOLS_CACHE:-~/.cache/junction/tools}/<name>-<version>/`. A build goes into a
 * temporary folder that is renamed into place only when complete, so an interrupted build leaves
 * nothing that looks built. Builds run one at a time under `nice`. While it runs, the tools it
 * has still to build are announced in the cache (cache.mts: awaitTool), so tests can wait for them.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { announceBuild, binaryPath, cacheRoot, endBuild, toolDir } from './cache.mts';
import { goModuleDir, goVersion, niceGo, run } from './go.mts';
import { isToolName, TOOLS, type GoTool } from './tools.mts';

const here = path.dirname(fileURLToPath(import.meta.url));

function ldflags(spec: GoTool): string {
  const assignments = Object.entries(spec.versionFlags ?? {}).map(
    ([key, value]) => `-X ${key}=${value}`,
  );
  return ['-s', '-w', ...assignments].join(' ');
}

async function goBuild(spec: GoTool, output: string): Promise<void> {
  const source = goModuleDir(spec.module, spec.moduleVersion);
  await niceGo(
    ['build', '-trimpath', '-ldflags', ldflags(spec), '-o', output, `./${spec.package}`],
    source,
  );
}

/** The collector builder generates a distribution from the manifest and compiles it. */
async function buildCollector(spec: GoTool, manifest: string, into: string): Promise<void> {
  const builder = path.join(into, 'builder');
  await goBuild(spec, builder);
  const generated = path.join(into, 'generated');
  await run(
    'nice',
    ['-n', '10', builder, `--config=${path.join(here, manifest)}`, `--output-path=${generated}`],
    into,
  );
  renameSync(path.join(generated, spec.name), path.join(into, spec.name));
  rmSync(generated, { recursive: true, force: true });
}

/** The folder being built into, removed if the build is stopped by a signal. */
let inProgress: string | undefined;

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (inProgress) rmSync(inProgress, { recursive: true, force: true });
    endBuild();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

async function build(spec: GoTool): Promise<number> {
  const target = toolDir(spec);
  const partial = `${target}.partial-${process.pid}`;
  inProgress = partial;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const started = performance.now();
  try {
    if (spec.collectorManifest) await buildCollector(spec, spec.collectorManifest, partial);
    else await goBuild(spec, path.join(partial, spec.name));
    const seconds = Math.round((performance.now() - started) / 1000);
    const record = { ...spec, go: goVersion(), builtAt: new Date().toISOString(), seconds };
    writeFileSync(path.join(partial, 'build.json'), `${JSON.stringify(record, null, 2)}\n`);
    renameSync(partial, target);
    return seconds;
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  } finally {
    inProgress = undefined;
  }
}

function selected(names: readonly string[]): readonly GoTool[] {
  const unknown = names.filter((name) => !isToolName(name));
  if (unknown.length > 0) {
    const known = TOOLS.map((spec) => spec.name).join(', ');
    throw new Error(`unknown tool(s) ${unknown.join(', ')}; known: ${known}`);
  }
  return names.length === 0 ? TOOLS : TOOLS.filter((spec) => names.includes(spec.name));
}

async function main(names: readonly string[]): Promise<void> {
  mkdirSync(cacheRoot(), { recursive: true });
  const failed: string[] = [];
  let total = 0;
  const pending = selected(names).filter((spec) => !existsSync(binaryPath(spec)));
  for (const spec of selected(names)) {
    const label = `${spec.name} ${spec.version} (${spec.module}@${spec.moduleVersion})`;
    if (existsSync(binaryPath(spec))) {
      console.log(`${label}: cached, ${binaryPath(spec)}`);
      continue;
    }
    announceBuild(pending.slice(pending.indexOf(spec)).map((next) => next.name));
    console.log(`${label}: building…`);
    try {
      const seconds = await build(spec);
      total += seconds;
      console.log(`${label}: built in ${seconds} s, ${binaryPath(spec)}`);
    } catch (error) {
      failed.push(spec.name);
      console.error(`${label}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  endBuild();
  if (total > 0) console.log(`built in ${total} s in all`);
  if (failed.length > 0) {
    console.error(`not built: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

await main(process.argv.slice(2));

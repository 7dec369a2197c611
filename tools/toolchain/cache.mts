import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { tool, type GoTool, type ToolName } from './tools.mts';

/** Built tools live outside the repository, one folder per tool and version. */
export function cacheRoot(): string {
  return process.env['JUNCTION_TOOLS_CACHE'] ?? path.join(homedir(), '.cache', 'junction', 'tools');
}

export function toolDir(spec: GoTool): string {
  return path.join(cacheRoot(), `${spec.name}-${spec.version}`);
}

export function binaryPath(spec: GoTool): string {
  return path.join(toolDir(spec), spec.name);
}

/** The command that builds a tool, as a person would type it from the repository root. */
export function buildCommand(name: ToolName): string {
  return `npm run tools:build -- ${name}`;
}

/** The built binary of a pinned tool; throws with the one command that builds it when absent. */
export function toolPath(name: ToolName): string {
  const spec = tool(name);
  const binary = binaryPath(spec);
  if (!existsSync(binary)) {
    throw new Error(
      `${name} ${spec.version} is not built (${binary}): run \`${buildCommand(name)}\``,
    );
  }
  return binary;
}

/**
 * A build in progress announces the tools it has still to build in `<cache>/building-<pid>.json`
 * (written by build.mts, removed when it ends), so that a test needing one of them can wait for
 * it instead of failing while `npm test` builds the tools beside the tests (tools/test/run.mts).
 */
interface BuildMarker {
  readonly pid: number;
  readonly pending: readonly string[];
}

function markerPath(pid: number): string {
  return path.join(cacheRoot(), `building-${String(pid)}.json`);
}

export function announceBuild(pending: readonly string[]): void {
  const marker: BuildMarker = { pid: process.pid, pending };
  writeFileSync(markerPath(process.pid), `${JSON.stringify(marker)}\n`);
}

export function endBuild(): void {
  rmSync(markerPath(process.pid), { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a live build (another process) still has this tool to build. */
export function buildPending(name: ToolName): boolean {
  let entries: string[];
  try {
    entries = readdirSync(cacheRoot());
  } catch {
    return false;
  }
  return entries
    .filter((entry) => /^building-\d+\.json$/.test(entry))
    .some((entry) => {
      try {
        const marker = JSON.parse(
          readFileSync(path.join(cacheRoot(), entry), 'utf8'),
        ) as BuildMarker;
        return alive(marker.pid) && marker.pending.includes(name);
      } catch {
        return false; // written as we read it, or left by a killed build: not a live one
      }
    });
}

/**
 * toolPath, but while a build in progress still has the tool to build, waits for it (checking
 * every `pollMs`, giving up after `timeoutMs`); once no build has it pending, toolPath decides.
 */
export interface AwaitOptions {
  readonly timeoutMs?: number;
  readonly pollMs?: number;
  /** Told once, when it starts waiting. */
  readonly onWait?: (message: string) => void;
}

export async function awaitTool(name: ToolName, options: AwaitOptions = {}): Promise<string> {
  const { timeoutMs = 60 * 60_000, pollMs = 2_000, onWait } = options;
  const deadline = Date.now() + timeoutMs;
  let told = false;
  while (!existsSync(binaryPath(tool(name))) && buildPending(name) && Date.now() < deadline) {
    if (!told) onWait?.(`waiting for the ${name} build in progress (${cacheRoot()})`);
    told = true;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return toolPath(name);
}

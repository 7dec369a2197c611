import { existsSync } from 'node:fs';
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
  return `node tools/toolchain/build.mts ${name}`;
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

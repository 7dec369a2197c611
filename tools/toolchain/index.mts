export { awaitTool, buildCommand, buildPending, cacheRoot, toolPath } from './cache.mts';
export { goModuleDir } from './go.mts';
export {
  COLLECTOR_RELEASE,
  PROMETHEUS_RELEASE,
  TOOLS,
  tool,
  type GoTool,
  type ToolName,
} from './tools.mts';

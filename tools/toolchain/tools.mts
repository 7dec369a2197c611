import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * The Go programs the checks run on our artifacts, pinned. Each is built from its Go module with
 * the ordinary Go toolchain (`npm run tools:build -- [names…]`), never downloaded as a
 * release binary. A module is built as the main module in its own directory, so its own
 * `replace` directives apply exactly as in its release build (jaeger's and skaffold's go.mod have
 * some; `go install module@version` refuses those).
 */
export interface GoTool {
  /** What the checks call it; also the binary's file name. */
  readonly name: string;
  /** The release this build is, as reported (the cache key together with the name). */
  readonly version: string;
  readonly module: string;
  /** The module version to build: a tag, or the pseudo-version of the release commit. */
  readonly moduleVersion: string;
  /** The main package, relative to the module root. */
  readonly package: string;
  /** `-X` assignments that the upstream release build sets (version strings). */
  readonly versionFlags?: Readonly<Record<string, string>>;
  /** Built by the OpenTelemetry Collector builder from this manifest (relative to this folder). */
  readonly collectorManifest?: string;
}

/** The collector release the otelcol distribution (and the chart's collector image) is pinned to. */
export const COLLECTOR_RELEASE = '0.165.0';

const COLLECTOR_MANIFEST = 'otelcol/manifest.yaml';

/**
 * The otelcol build's version: the release and a short hash of the manifest, so that a manifest
 * with another component set is another build (the cache is keyed by name and version).
 */
function collectorBuildVersion(): string {
  const manifest = readFileSync(new URL(COLLECTOR_MANIFEST, import.meta.url));
  return `${COLLECTOR_RELEASE}-${createHash('sha256').update(manifest).digest('hex').slice(0, 8)}`;
}

/** The Prometheus release promtool checks the chart's Prometheus config for (its image too). */
export const PROMETHEUS_RELEASE = '3.16.0';

export const TOOLS = [
  {
    // Jaeger v2 releases are tagged twice, v2.x and v1.x; the module path has no /v2, so Go
    // resolves only the v1.x tag: v1.76.0 is the Jaeger v2.13.0 release commit (63b27e1).
    name: 'jaeger',
    version: '2.13.0',
    module: 'github.com/jaegertracing/jaeger',
    moduleVersion: 'v1.76.0',
    package: 'cmd/jaeger',
    versionFlags: {
      'github.com/jaegertracing/jaeger/internal/version.latestVersion': 'v2.13.0',
      'github.com/jaegertracing/jaeger/internal/version.commitSHA':
        '63b27e1810a710ac54dc4522da0538e540bdc545',
      'github.com/jaegertracing/jaeger/internal/version.date': '2025-12-03T16:07:08Z',
    },
  },
  {
    name: 'otelcol',
    version: collectorBuildVersion(),
    module: 'go.opentelemetry.io/collector/cmd/builder',
    moduleVersion: `v${COLLECTOR_RELEASE}`,
    package: '.',
    collectorManifest: COLLECTOR_MANIFEST,
  },
  {
    // Prometheus 3.x is tagged v0.3xx.y for Go (v0.316.0 is the 3.16.0 release). promtool checks
    // the chart's files/prometheus.yaml (`promtool check config`). The module has a go.work
    // naming folders its module zip lacks; builds run with GOWORK=off (go.mts).
    name: 'promtool',
    version: PROMETHEUS_RELEASE,
    module: 'github.com/prometheus/prometheus',
    moduleVersion: 'v0.316.0',
    package: 'cmd/promtool',
    versionFlags: {
      'github.com/prometheus/common/version.Version': PROMETHEUS_RELEASE,
      'github.com/prometheus/common/version.Branch': 'HEAD',
    },
  },
  {
    // The newest istio.io/istio the module proxy serves: the master commit of 2026-08-27
    // (1.31 development). The 1.30.x and 1.29.x release commits are not served.
    name: 'istioctl',
    version: '1.31-dev.eed52ebb66ad',
    module: 'istio.io/istio',
    moduleVersion: 'v0.0.0-20260827124520-eed52ebb66ad',
    package: 'istioctl/cmd/istioctl',
    versionFlags: {
      'istio.io/istio/pkg/version.buildVersion': '1.31-dev',
      'istio.io/istio/pkg/version.buildGitRevision': 'eed52ebb66ad',
      'istio.io/istio/pkg/version.buildStatus': 'Clean',
    },
  },
  {
    // The newest skaffold release (2.24.0); from 2.19.0 on it drives Helm >= 4.1.4.
    name: 'skaffold',
    version: '2.24.0',
    module: 'github.com/GoogleContainerTools/skaffold/v2',
    moduleVersion: 'v2.24.0',
    package: 'cmd/skaffold',
    versionFlags: {
      'github.com/GoogleContainerTools/skaffold/v2/pkg/skaffold/version.version': 'v2.24.0',
    },
  },
  {
    name: 'helm',
    version: '4.3.2',
    module: 'helm.sh/helm/v4',
    moduleVersion: 'v4.3.2',
    package: 'cmd/helm',
    versionFlags: {
      'helm.sh/helm/v4/internal/version.version': 'v4.3.2',
      'helm.sh/helm/v4/internal/version.gitTreeState': 'clean',
    },
  },
  {
    // The BuildKit client skaffold's docker builds call (`docker build --load` needs buildx); it
    // becomes a Docker CLI plugin (docker-buildx) in the environment the skaffold checks run in.
    name: 'buildx',
    version: '0.38.2',
    module: 'github.com/docker/buildx',
    moduleVersion: 'v0.38.2',
    package: 'cmd/buildx',
    versionFlags: {
      'github.com/docker/buildx/version.Version': 'v0.38.2',
    },
  },
  {
    name: 'kind',
    version: '0.33.0',
    module: 'sigs.k8s.io/kind',
    moduleVersion: 'v0.33.0',
    package: '.',
  },
] as const satisfies readonly GoTool[];

export type ToolName = (typeof TOOLS)[number]['name'];

export function isToolName(name: string): name is ToolName {
  return TOOLS.some((tool) => tool.name === name);
}

export function tool(name: ToolName): GoTool {
  const found = TOOLS.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`unknown tool ${name}`);
  return found;
}

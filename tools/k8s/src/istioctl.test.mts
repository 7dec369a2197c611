import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { toolPath } from '@junction/toolchain';
import { hasMesh, PROFILES, render, type Profile } from './charts.mts';
import { helmOk } from './helm.mts';
import { runTool } from './infra-files.mts';
import { repoPath } from './repo.mts';
import { istioChartsDir } from './skaffold-offline.mts';

/** One finding of `istioctl analyze -o json`. */
interface Finding {
  readonly code: string;
  readonly level: 'Error' | 'Warning' | 'Info';
  readonly origin?: string;
  readonly message: string;
}

/**
 * Findings that are expected, each with why. An entry matches a finding by code and origin
 * (a regular expression over "Kind name.namespace").
 */
const ALLOWED: readonly { code: string; origin: RegExp; reason: string }[] = [];

const allowed = (finding: Finding): boolean =>
  ALLOWED.some((a) => a.code === finding.code && a.origin.test(finding.origin ?? ''));

/** The ingress gateway and istiod as skaffold.yaml's `istio` config installs them. */
function istioReleases(): string {
  const charts = istioChartsDir();
  const gateway = helmOk([
    'template',
    'istio-ingressgateway',
    path.join(charts, 'manifests/charts/gateway'),
    '--namespace',
    'istio-ingress',
    '-f',
    repoPath('k8s/istio/gateway-values.yaml'),
  ]);
  const istiod = helmOk([
    'template',
    'istiod',
    path.join(charts, 'manifests/charts/istio-control/istio-discovery'),
    '--namespace',
    'istio-system',
    '-f',
    repoPath('k8s/istio/istiod-values.yaml'),
  ]);
  return `${gateway}\n---\n${istiod}`;
}

/** Every file `istioctl analyze` reads for a profile: both charts, the Istio releases, k8s/. */
function inputs(profile: Profile): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), `junction-analyze-${profile.replace(',', '-')}-`));
  const charts = path.join(dir, 'charts.yaml');
  writeFileSync(
    charts,
    render(profile)
      .all.map((o) => stringify(o))
      .join('---\n'),
  );
  const istio = path.join(dir, 'istio.yaml');
  writeFileSync(istio, istioReleases());
  return [charts, istio, repoPath('k8s/namespace.yaml')];
}

function analyze(profile: Profile): Finding[] {
  const result = runTool(
    toolPath('istioctl'),
    [
      'analyze',
      '--use-kube=false',
      '--all-namespaces',
      '--output=json',
      '--output-threshold=Info',
      ...inputs(profile),
    ],
    { timeoutMs: 300_000 },
  );
  // analyze exits non-zero when it finds errors; the findings are still its JSON output.
  if (result.stdout.trim() === '') {
    assert.fail(`istioctl analyze printed nothing (exit ${result.status}):\n${result.stderr}`);
  }
  return JSON.parse(result.stdout) as Finding[];
}

describe('istioctl analyze on the rendered mesh', () => {
  for (const profile of PROFILES.filter(hasMesh)) {
    it(`finds no error or warning in the ${profile} profile beyond the explained ones`, () => {
      const findings = analyze(profile).filter((f) => f.level !== 'Info' && !allowed(f));
      assert.deepEqual(
        findings.map((f) => `${f.level} ${f.code} ${f.origin ?? ''}: ${f.message}`),
        [],
      );
    });
  }

  it('reports a broken reference (the check can fail)', () => {
    // A VirtualService bound to a Gateway that does not exist must be flagged.
    const dir = mkdtempSync(path.join(tmpdir(), 'junction-analyze-broken-'));
    const file = path.join(dir, 'broken.yaml');
    writeFileSync(
      file,
      stringify({
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'broken', namespace: 'junction' },
        spec: {
          hosts: ['broken.example.com'],
          gateways: ['junction/nowhere'],
          http: [{ route: [{ destination: { host: 'auth.junction.svc.cluster.local' } }] }],
        },
      }),
    );
    const result = runTool(toolPath('istioctl'), [
      'analyze',
      '--use-kube=false',
      '--all-namespaces',
      '--output=json',
      file,
      repoPath('k8s/namespace.yaml'),
    ]);
    const codes = (JSON.parse(result.stdout) as Finding[]).map((f) => f.code);
    assert.ok(
      codes.includes('IST0101'),
      `expected IST0101 (ReferencedResourceNotFound): ${codes.join(', ')}`,
    );
  });
});

// The rendered charts' AuthorizationPolicies as a MeshPolicy: as skaffold deploys them, or with
// the `services` values of another topology (to show what a change to the declaration does).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Topology } from '@junction/topology';
import { chartServices } from '@junction/topology/generate';
import { stringify } from 'yaml';
import { helmTemplate, type Profile, releaseSetArgs, render } from './charts.mts';
import { type GatewayIdentity, MeshPolicy } from './mesh-calls.mts';
import { config, loadSkaffold, withProfile } from './skaffold.mts';

/** The ingress gateway's identity: the istio/gateway chart names its ServiceAccount after the release. */
export function gatewayIdentity(): GatewayIdentity {
  const release = config(loadSkaffold(), 'istio').deploy?.helm?.releases?.find(
    (r) => r.remoteChart === 'gateway',
  );
  if (!release?.namespace) throw new Error('skaffold.yaml installs no istio gateway');
  return { namespace: release.namespace, serviceAccount: release.name };
}

/** The policies of one skaffold profile's rendering. */
export const renderedMeshPolicy = (profile: Profile = 'default'): MeshPolicy =>
  new MeshPolicy(render(profile).app, gatewayIdentity());

/** The app chart rendered (no profile) with the `services` values generated from `topology`. */
export function meshPolicyFor(topology: Topology): MeshPolicy {
  const dir = mkdtempSync(path.join(tmpdir(), 'junction-topology-'));
  const file = path.join(dir, 'services.yaml');
  writeFileSync(file, stringify({ services: chartServices(topology) }));
  const app = withProfile(config(loadSkaffold(), 'app'), undefined);
  const release = app.deploy?.helm?.releases?.find((r) => r.chartPath === 'charts/junction');
  if (!release) throw new Error('skaffold.yaml deploys no charts/junction release');
  const images = (app.build?.artifacts ?? []).map((a) => a.image);
  const objects = helmTemplate('junction', release.name, release.namespace ?? 'default', [
    ...releaseSetArgs(release, images),
    '-f',
    file,
  ]);
  return new MeshPolicy(objects, gatewayIdentity());
}

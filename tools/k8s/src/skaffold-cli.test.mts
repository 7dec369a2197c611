import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { toolPath } from '@junction/toolchain';
import { activeProfiles, hasMesh, PROFILES, render, type Profile } from './charts.mts';
import { runTool, type RunResult } from './infra-files.mts';
import { asKubeObjects, parseYamlDocuments, repoRoot, type KubeObject } from './repo.mts';
import { config, loadSkaffold, withProfile, type SkaffoldConfig } from './skaffold.mts';
import { localBuild, offlineSkaffold, type OfflineSkaffold } from './skaffold-offline.mts';

/**
 * skaffold itself (built from its module by tools/toolchain) reads skaffold.yaml: `render` and
 * `diagnose` for every profile, with the Istio charts taken from the pinned istio.io/istio
 * module. No cluster is needed (`--offline`) and nothing is built (`--digest-source=none`).
 */
const offline = new Map<string, OfflineSkaffold>();

/** The copied config; `docker` builds FROM the local base image (diagnose reads its ONBUILD). */
function setup(kind: 'plain' | 'docker'): OfflineSkaffold {
  let found = offline.get(kind);
  if (!found) {
    const build = kind === 'docker' ? localBuild() : undefined;
    if (typeof build === 'string') throw new Error(build);
    found = offlineSkaffold(toolPath('helm'), build);
    offline.set(kind, found);
  }
  return found;
}

/** The -p/-m arguments of a profile: without the mesh, only the `app` config and what it needs. */
function selection(profile: Profile): string[] {
  const profiles = activeProfiles(profile);
  return [
    ...(profiles.length > 0 ? ['-p', profiles.join(',')] : []),
    ...(hasMesh(profile) ? [] : ['-m', 'app']),
  ];
}

function skaffold(
  command: string,
  profile: Profile,
  extra: string[],
  kind: 'plain' | 'docker' = 'plain',
): RunResult {
  const { file, env } = setup(kind);
  const args = [command, '-f', file, ...selection(profile), ...extra];
  const result = runTool(toolPath('skaffold'), args, { cwd: repoRoot, env, timeoutMs: 300_000 });
  assert.equal(
    result.status,
    0,
    `skaffold ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`,
  );
  return result;
}

const id = (o: KubeObject): string => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** What the checks' own reading of the profiles (skaffold.mts) makes of the app config. */
function appAsChecksSeeIt(cfg: SkaffoldConfig): unknown {
  return {
    targets: cfg.build?.artifacts?.map((a) => a.docker?.target),
    images: cfg.build?.artifacts?.map((a) => a.image),
    // skaffold keeps setValues as strings (it passes them to helm --set).
    setValues: cfg.deploy?.helm?.releases?.map((r) =>
      Object.fromEntries(Object.entries(r.setValues ?? {}).map(([k, v]) => [k, String(v)])),
    ),
  };
}

const dockerBuild = localBuild();
const noDocker = typeof dockerBuild === 'string' ? dockerBuild : undefined;

describe('skaffold (the binary) on skaffold.yaml', () => {
  for (const profile of PROFILES) {
    it(`renders the ${profile} profile to what the chart checks render`, () => {
      // The manifests go to a file: skaffold prints notices on stdout too.
      const output = path.join(mkdtempSync(path.join(tmpdir(), 'junction-render-')), 'out.yaml');
      skaffold('render', profile, ['--offline=true', '--digest-source=none', `--output=${output}`]);
      const text = readFileSync(output, 'utf8');
      const rendered = asKubeObjects(parseYamlDocuments(text, 'skaffold render'), 'render');
      const ids = new Set(rendered.map(id));
      const missing = render(profile)
        .all.map(id)
        .filter((name) => !ids.has(name));
      assert.deepEqual(missing, [], 'objects the chart checks expect but skaffold did not render');
      const istiod = rendered.some((o) => o.kind === 'Deployment' && o.metadata.name === 'istiod');
      assert.equal(istiod, hasMesh(profile), 'istiod is rendered exactly when the mesh is on');
    });

    it(`applies the ${profile} profile as the chart checks assume (diagnose --yaml-only)`, () => {
      const result = skaffold('diagnose', profile, ['--yaml-only']);
      const configs = parseYamlDocuments(result.stdout, 'skaffold diagnose') as SkaffoldConfig[];
      const expected = withProfile(
        config(loadSkaffold(), 'app'),
        activeProfiles(profile).join(','),
      );
      assert.deepEqual(appAsChecksSeeIt(config(configs, 'app')), appAsChecksSeeIt(expected));
    });

    it(`diagnoses every artifact of the ${profile} profile`, { skip: noDocker }, () => {
      const result = skaffold('diagnose', profile, [], 'docker');
      const expected = withProfile(
        config(loadSkaffold(), 'app'),
        activeProfiles(profile).join(','),
      );
      for (const artifact of expected.build?.artifacts ?? []) {
        assert.match(result.stdout, new RegExp(`Docker artifact: ${artifact.image}\\b`));
      }
    });
  }
});

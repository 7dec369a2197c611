import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { helmOk } from './helm.mts';
import { asKubeObjects, parseYamlDocuments, repoPath, type KubeObject } from './repo.mts';
import {
  config,
  loadSkaffold,
  templateKey,
  withProfile,
  type SkaffoldRelease,
} from './skaffold.mts';

/**
 * The skaffold profiles whose rendering must pass; `default` is no profile, `a,b` is `-p a,b`
 * (the load generator is checked with the mesh and without it).
 */
export const PROFILES = [
  'default',
  'no-mesh',
  'mesh-faults',
  'dev',
  'debug',
  'load',
  'no-mesh,load',
] as const;
export type Profile = (typeof PROFILES)[number];

/** The skaffold profiles a rendering activates, in order. */
export const activeProfiles = (profile: Profile): string[] =>
  profile === 'default' ? [] : profile.split(',');

/** Whether a rendering has Istio (every profile but no-mesh). */
export const hasMesh = (profile: Profile): boolean => !activeProfiles(profile).includes('no-mesh');

/** Whether a rendering deploys the optional load generator (the load profile). */
export const hasLoadGenerator = (profile: Profile): boolean =>
  activeProfiles(profile).includes('load');

/** Tag the checks pretend skaffold built. */
export const TEST_TAG = 'checks';

let prepared: string | undefined;

/**
 * A throw-away copy of charts/ with the library chart vendored into each chart (helm dependency
 * build writes into the chart folder; the repository stays untouched).
 */
export function preparedCharts(): string {
  if (prepared) return prepared;
  const dir = mkdtempSync(path.join(tmpdir(), 'junction-charts-'));
  cpSync(repoPath('charts'), dir, {
    recursive: true,
    filter: (src) => !/[/\\]charts[/\\][^/\\]+[/\\](charts|Chart\.lock)$/.test(src),
  });
  for (const chart of ['junction', 'junction-infra']) {
    helmOk(['dependency', 'build', path.join(dir, chart)]);
  }
  return (prepared = dir);
}

/** helm --set arguments equivalent to a skaffold release's setValues and setValueTemplates. */
export function releaseSetArgs(release: SkaffoldRelease, images: string[]): string[] {
  const args: string[] = [];
  for (const [key, value] of Object.entries(release.setValues ?? {})) {
    args.push('--set', `${key}=${String(value)}`);
  }
  const vars: Record<string, string> = {};
  for (const image of images) {
    vars[`IMAGE_REPO_${templateKey(image)}`] = image;
    vars[`IMAGE_TAG_${templateKey(image)}`] = TEST_TAG;
  }
  for (const [key, template] of Object.entries(release.setValueTemplates ?? {})) {
    const value = template.replace(/\{\{\s*\.([A-Za-z0-9_]+)\s*\}\}/g, (_, name: string) => {
      const v = vars[name];
      if (v === undefined)
        throw new Error(`setValueTemplates ${key}: unknown template variable ${name}`);
      return v;
    });
    args.push('--set-string', `${key}=${value}`);
  }
  return args;
}

export interface Rendering {
  profile: Profile;
  app: KubeObject[];
  infra: KubeObject[];
  all: KubeObject[];
}

const cache = new Map<Profile, Rendering>();

export function helmTemplate(
  chart: string,
  release: string,
  namespace: string,
  extra: string[],
): KubeObject[] {
  const out = helmOk([
    'template',
    release,
    path.join(preparedCharts(), chart),
    '--namespace',
    namespace,
    ...extra,
  ]);
  return asKubeObjects(parseYamlDocuments(out, `helm template ${chart}`), chart);
}

/** Both charts rendered exactly as skaffold would deploy them with `profile` active. */
export function render(profile: Profile): Rendering {
  const hit = cache.get(profile);
  if (hit) return hit;
  const configs = loadSkaffold();
  const active = profile === 'default' ? undefined : profile;
  const app = withProfile(config(configs, 'app'), active);
  const infra = withProfile(config(configs, 'infra'), active);
  const images = (app.build?.artifacts ?? []).map((a) => a.image);
  const out = (cfg: typeof app, chart: string): KubeObject[] =>
    (cfg.deploy?.helm?.releases ?? []).flatMap((release) => {
      if (release.chartPath !== `charts/${chart}`) return [];
      return helmTemplate(
        chart,
        release.name,
        release.namespace ?? 'default',
        releaseSetArgs(release, images),
      );
    });
  const appObjects = out(app, 'junction');
  const infraObjects = out(infra, 'junction-infra');
  const rendering = {
    profile,
    app: appObjects,
    infra: infraObjects,
    all: [...appObjects, ...infraObjects],
  };
  cache.set(profile, rendering);
  return rendering;
}

/** The skaffold-equivalent helm arguments for a chart under a profile (for lint). */
export function profileArgs(profile: Profile, chart: 'junction' | 'junction-infra'): string[] {
  const configs = loadSkaffold();
  const active = profile === 'default' ? undefined : profile;
  const cfg = withProfile(config(configs, chart === 'junction' ? 'app' : 'infra'), active);
  const images = (withProfile(config(configs, 'app'), active).build?.artifacts ?? []).map(
    (a) => a.image,
  );
  const release = cfg.deploy?.helm?.releases?.find((r) => r.chartPath === `charts/${chart}`);
  if (!release) throw new Error(`skaffold.yaml deploys no release of charts/${chart}`);
  return ['--namespace', release.namespace ?? 'default', ...releaseSetArgs(release, images)];
}

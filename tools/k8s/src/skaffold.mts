import { isRecord, readYamlFile } from './repo.mts';

/** The parts of a skaffold v4 config these checks read. */
export interface SkaffoldArtifact {
  image: string;
  context?: string;
  docker?: { dockerfile?: string; target?: string; buildArgs?: Record<string, string> };
  sync?: unknown;
}
export interface SkaffoldRelease {
  name: string;
  chartPath?: string;
  remoteChart?: string;
  repo?: string;
  version?: string;
  namespace?: string;
  valuesFiles?: string[];
  setValues?: Record<string, unknown>;
  setValueTemplates?: Record<string, string>;
}
export interface PortForward {
  resourceType: string;
  resourceName: string;
  namespace?: string;
  port: number;
  localPort?: number;
}
export interface JsonPatch {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}
export interface SkaffoldConfig {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  requires?: { configs?: string[] }[];
  build?: { artifacts?: SkaffoldArtifact[] };
  deploy?: { helm?: { releases?: SkaffoldRelease[] }; kubectl?: unknown };
  manifests?: { rawYaml?: string[] };
  portForward?: PortForward[];
  profiles?: { name: string; patches?: JsonPatch[]; portForward?: PortForward[] }[];
}

export function loadSkaffold(): SkaffoldConfig[] {
  return readYamlFile('skaffold.yaml').map((doc, i) => {
    if (!isRecord(doc) || !isRecord(doc.metadata) || typeof doc.metadata.name !== 'string') {
      throw new Error(`skaffold.yaml: document ${i} has no metadata.name`);
    }
    return doc as unknown as SkaffoldConfig;
  });
}

export function config(configs: SkaffoldConfig[], name: string): SkaffoldConfig {
  const found = configs.find((c) => c.metadata.name === name);
  if (!found) throw new Error(`skaffold.yaml has no config named ${name}`);
  return found;
}

const unescape = (token: string): string => token.replace(/~1/g, '/').replace(/~0/g, '~');

/** Applies RFC 6902 add/replace/remove patches (what skaffold profiles use) to a copy. */
export function applyPatches<T>(document: T, patches: JsonPatch[]): T {
  const copy = structuredClone(document);
  for (const patch of patches) {
    const tokens = patch.path.split('/').slice(1).map(unescape);
    const last = tokens.pop();
    if (last === undefined) throw new Error(`bad patch path ${patch.path}`);
    let node: unknown = copy;
    for (const token of tokens) {
      node = Array.isArray(node) ? node[Number(token)] : isRecord(node) ? node[token] : undefined;
      if (node === undefined) throw new Error(`patch path ${patch.path} does not exist`);
    }
    if (Array.isArray(node)) {
      const index = last === '-' ? node.length : Number(last);
      if (patch.op === 'remove') node.splice(index, 1);
      else if (patch.op === 'add') node.splice(index, 0, patch.value);
      else node[index] = patch.value;
    } else if (isRecord(node)) {
      if (patch.op === 'replace' && !(last in node))
        throw new Error(`replace of missing ${patch.path}`);
      if (patch.op === 'remove') Reflect.deleteProperty(node, last);
      else node[last] = patch.value;
    } else {
      throw new Error(`patch path ${patch.path} does not point into an object`);
    }
  }
  return copy;
}

/**
 * A config as skaffold sees it with `profiles` active: one name, or several as in `-p a,b`,
 * applied in that order (a profile's portForward replaces the list before it). Names the config
 * does not have are skipped, as skaffold does for a multi-config project.
 */
export function withProfile(cfg: SkaffoldConfig, profiles: string | undefined): SkaffoldConfig {
  if (!profiles) return cfg;
  return profiles.split(',').reduce((current, name) => {
    const p = current.profiles?.find((candidate) => candidate.name === name);
    if (!p) return current;
    const patched = applyPatches(current, p.patches ?? []);
    return p.portForward ? { ...patched, portForward: p.portForward } : patched;
  }, cfg);
}

/** IMAGE_REPO_<name> / IMAGE_TAG_<name>: skaffold replaces "/", "-" (and ".") with "_". */
export const templateKey = (image: string): string => image.replace(/[/\-.]/g, '_');

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

/** The repository root (this file lives in tools/k8s/src). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const repoPath = (...parts: string[]): string => path.join(repoRoot, ...parts);

/** Where downloaded/extracted tools are cached between runs. */
export const cacheDir = repoPath('node_modules', '.cache', 'junction-k8s');

export type KubeObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string } & Record<string, unknown>;
};

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every non-empty document of a multi-document YAML string. Throws on YAML errors. */
export function parseYamlDocuments(text: string, source: string): unknown[] {
  return parseAllDocuments(text).flatMap((doc) => {
    if (doc.errors.length > 0) {
      throw new Error(`${source}: ${doc.errors.map((e) => e.message).join('; ')}`);
    }
    const value: unknown = doc.toJS();
    return value === null || value === undefined ? [] : [value];
  });
}

export function readYamlFile(relative: string): unknown[] {
  return parseYamlDocuments(readFileSync(repoPath(relative), 'utf8'), relative);
}

export function asKubeObjects(values: unknown[], source: string): KubeObject[] {
  return values.map((value, i) => {
    if (
      !isRecord(value) ||
      typeof value.apiVersion !== 'string' ||
      typeof value.kind !== 'string' ||
      !isRecord(value.metadata) ||
      typeof value.metadata.name !== 'string'
    ) {
      throw new Error(`${source}: document ${i} is not a Kubernetes object`);
    }
    return value as KubeObject;
  });
}

export const exists = (relative: string): boolean => existsSync(repoPath(relative));

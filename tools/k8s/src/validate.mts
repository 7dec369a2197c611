import path from 'node:path';
import ts from 'typescript';
import { repoPath, type KubeObject } from './repo.mts';

/**
 * Validation of rendered objects against the Kubernetes 1.33 API and Istio 1.29 CRD schemas,
 * strictly. Two passes, both offline, from the npm registry:
 *  1. kubernetes-models@4.5.1 (generated from the Kubernetes v1.33.0 OpenAPI spec) and
 *     @kubernetes-models/istio@3.0.1 (generated from Istio 1.29.2's CRDs, the `base` chart's
 *     crd-all.gen.yaml) ship precompiled JSON-schema validators: types, required fields, enums,
 *     formats, oneOf. They do not reject unknown fields (the OpenAPI schemas have no
 *     additionalProperties: false), so:
 *  2. the same packages' TypeScript declarations, generated from the same schemas, type-check
 *     every object as an object literal: TypeScript's excess-property check rejects any field
 *     the schema does not declare, at any depth — what `kubectl apply --validate=strict` does.
 */

interface ModelModule {
  path: string;
  exportName: string;
}

/** Where the model of an apiVersion/kind lives. Unknown apiVersions are an error. */
export function modelFor(apiVersion: string, kind: string): ModelModule {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (!group && version) return { path: `kubernetes-models/${version}/${kind}`, exportName: kind };
  if (group?.endsWith('.istio.io')) {
    return { path: `@kubernetes-models/istio/${group}/${version ?? ''}/${kind}`, exportName: kind };
  }
  if (group && version && !group.includes('.x-k8s.io')) {
    return { path: `kubernetes-models/${group}/${version}/${kind}`, exportName: kind };
  }
  throw new Error(`no schema source for ${apiVersion} ${kind}`);
}

export interface Problem {
  object: string;
  message: string;
}

const describe = (o: KubeObject): string =>
  `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name} (${o.apiVersion})`;

type Validatable = new (data: unknown) => { validate(): void };

async function runtimeProblems(objects: KubeObject[]): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const o of objects) {
    let Model: Validatable | undefined;
    try {
      const { path: modulePath, exportName } = modelFor(o.apiVersion, o.kind);
      const mod = (await import(modulePath)) as Record<string, unknown>;
      Model = mod[exportName] as Validatable | undefined;
      if (typeof Model !== 'function') throw new Error(`${modulePath} has no ${exportName}`);
    } catch (error) {
      problems.push({ object: describe(o), message: `unknown kind: ${(error as Error).message}` });
      continue;
    }
    try {
      new Model(o).validate();
    } catch (error) {
      problems.push({ object: describe(o), message: (error as Error).message });
    }
  }
  return problems;
}

function strictProblems(objects: KubeObject[]): Problem[] {
  const imports = new Map<string, string>();
  const declarations: { object: KubeObject; start: number; end: number }[] = [];
  let body = '';
  for (const [i, o] of objects.entries()) {
    const { path: modulePath, exportName } = modelFor(o.apiVersion, o.kind);
    const alias = `T${String(imports.size)}`;
    if (!imports.has(modulePath)) imports.set(modulePath, alias);
    const typeName = `${imports.get(modulePath) ?? alias}.I${exportName}`;
    const start = body.length;
    body += `export const o${String(i)}: ${typeName} = ${JSON.stringify(o, null, 1)};\n`;
    declarations.push({ object: o, start, end: body.length });
  }
  let header = '';
  for (const [modulePath, alias] of imports)
    header += `import type * as ${alias} from '${modulePath}';\n`;
  const source = header + body;
  // A virtual file inside this package, so module resolution finds its node_modules.
  const fileName = path.join(repoPath('tools', 'k8s'), '__rendered_manifests__.ts');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    target: ts.ScriptTarget.ES2022,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.getSourceFile = (name, languageVersion, ...rest) =>
    name === fileName
      ? ts.createSourceFile(name, source, languageVersion)
      : getSourceFile(name, languageVersion, ...rest);
  host.fileExists = (name) => name === fileName || fileExists(name);
  const program = ts.createProgram([fileName], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const offset = (d.start ?? 0) - header.length;
    const owner = declarations.find((x) => offset >= x.start && offset < x.end);
    let where = '';
    if (owner && d.file && d.start !== undefined) {
      const line = d.file.getLineAndCharacterOfPosition(d.start).line;
      where = ` near: ${d.file.text.split('\n')[line]?.trim() ?? ''}`;
    }
    return {
      object: owner ? describe(owner.object) : (d.file?.fileName ?? 'program'),
      message: ts.flattenDiagnosticMessageText(d.messageText, ' ') + where,
    };
  });
}

/** All schema problems of the objects (empty when every object is valid). */
export async function validateObjects(objects: KubeObject[]): Promise<Problem[]> {
  return [...(await runtimeProblems(objects)), ...strictProblems(objects)];
}

export const formatProblems = (problems: Problem[]): string =>
  problems.map((p) => `- ${p.object}: ${p.message}`).join('\n');

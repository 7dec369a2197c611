/**
 * Each service's OpenAPI 3.1 document, made the way the running service makes its
 * `GET /openapi.json`: from the `@Route(...)` contracts of the controllers of its built
 * AppModule (services/<name>/dist), with @junction/platform's builder. Checked on the way: the
 * document is valid OpenAPI 3.1 (the schema validator reads it as a client generator would) and
 * documents exactly the public routes topology.yaml gives the service.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildOpenApiDocument, collectControllers, type OpenApiDocument } from '@junction/platform';
import { loadTopology, REPO_ROOT, type Service } from '@junction/topology';
import { Validator } from '@seriousme/openapi-schema-validator';
import { format, resolveConfig } from 'prettier';

export const DOCS_DIR = join(REPO_ROOT, 'docs', 'openapi');

export const documentFile = (service: string, dir = DOCS_DIR): string =>
  join(dir, `${service}.json`);

async function appModule(service: string): Promise<unknown> {
  const file = join(REPO_ROOT, 'services', service, 'dist', 'app.module.js');
  if (!existsSync(file)) {
    throw new Error(`${service} is not built (${file}); run: npx nx run-many -t build`);
  }
  const loaded = (await import(pathToFileURL(file).href)) as { AppModule?: unknown };
  if (typeof loaded.AppModule !== 'function') throw new Error(`${file} exports no AppModule`);
  return loaded.AppModule;
}

type Operation = { responses?: Record<string, { content?: Record<string, unknown> }> };

/** `GET /orders/{id}/events stream` for each operation, as topology.yaml spells routes. */
export function documentedRoutes(document: OpenApiDocument): string[] {
  const routes: string[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item as Record<string, Operation>)) {
      const streams = Object.values(operation.responses ?? {}).some(
        (response) => response.content?.['text/event-stream'] !== undefined,
      );
      routes.push(`${method.toUpperCase()} ${path}${streams ? ' stream' : ''}`);
    }
  }
  return routes.sort();
}

export function declaredRoutes(service: Service): string[] {
  return service.routes.map((r) => `${r.method} ${r.path}${r.stream ? ' stream' : ''}`).sort();
}

async function validate(service: string, document: OpenApiDocument): Promise<void> {
  const result = await new Validator().validate(document as unknown as Record<string, unknown>);
  if (!result.valid) {
    throw new Error(
      `${service}: not a valid OpenAPI document: ${JSON.stringify(result.errors, null, 2)}`,
    );
  }
}

/** The document's text as committed: JSON formatted by the repository's Prettier settings. */
export async function documentText(document: OpenApiDocument): Promise<string> {
  const options = (await resolveConfig(documentFile('any'))) ?? {};
  return format(JSON.stringify(document), { ...options, parser: 'json' });
}

export interface GeneratedDocument {
  readonly service: string;
  readonly document: OpenApiDocument;
}

/** The documents of every service in topology.yaml that serves public routes. */
export async function generateDocuments(): Promise<GeneratedDocument[]> {
  const generated: GeneratedDocument[] = [];
  for (const service of Object.values(loadTopology().services)) {
    if (service.routes.length === 0) continue;
    const controllers = collectControllers((await appModule(service.name)) as never);
    const document = buildOpenApiDocument(service.name, controllers);
    await validate(service.name, document);
    const [documented, declared] = [documentedRoutes(document), declaredRoutes(service)];
    if (documented.join('\n') !== declared.join('\n')) {
      throw new Error(
        `${service.name}: the document's routes are not topology.yaml's:\n  documented: ${documented.join(', ')}\n  declared:   ${declared.join(', ')}`,
      );
    }
    generated.push({ service: service.name, document });
  }
  return generated;
}

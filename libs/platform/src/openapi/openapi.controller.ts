import { Controller, Get, type Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { ServiceIdentity } from '../lifecycle/service-identity';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi-document';

/**
 * `GET /openapi.json`: the service's OpenAPI 3.1 document, made once from the contracts of the
 * controllers this app serves. On the service's own port, not a public route: the committed
 * copy (docs/openapi/) is what clients read; an e2e test holds the two equal.
 */
@Controller()
export class OpenApiController {
  private document: OpenApiDocument | undefined;

  constructor(
    private readonly modules: ModulesContainer,
    private readonly identity: ServiceIdentity,
  ) {}

  @Get('openapi.json')
  openApi(): OpenApiDocument {
    this.document ??= buildOpenApiDocument(this.identity.name, this.controllers());
    return this.document;
  }

  private controllers(): Type[] {
    const controllers = new Set<Type>();
    for (const module of this.modules.values()) {
      for (const wrapper of module.controllers.values()) controllers.add(wrapper.metatype as Type);
    }
    return [...controllers];
  }
}

import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** The OpenAPI document of every route of `app` (built, not listening). */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Audience Sync')
      .setDescription(
        'Ingest customer data, unify it into customers with stable IDs, evaluate segments and export them to Dynamics 365 Sales marketing lists.',
      )
      .setVersion('0.1.0')
      .addBearerAuth()
      .addSecurityRequirements('bearer')
      .build(),
  );
}

/** Swagger UI at /api/docs, the OpenAPI JSON at /api/docs-json (both readable without a token). */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, openApiDocument(app), { jsonDocumentUrl: 'api/docs-json' });
}

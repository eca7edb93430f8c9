import type { ApiDeps } from './api-deps.ts'
import type { ApiRoute } from './api-route.ts'

/**
 * Tenant route: the connectors of this deployment — the TypeScript ones and the declared ones alike —
 * with their config schema (what a connect form asks for; secrets are `writeOnly`) and what each
 * stream can do. It reads the same registry and catalog flow validation uses.
 */
export function connectorsRoutes(deps: ApiDeps): ApiRoute[] {
  const view = () =>
    Object.entries(deps.registry).map(([id, connector]) => {
      const declared = deps.declaredConnectors?.[id]
      return {
        id,
        title: connector.title,
        declared: declared !== undefined,
        ...(declared ? { manifest: declared } : {}),
        configSchema: connector.configSchema,
        consent: connector.delegatedAuth !== undefined,
        choices: connector.configChoices?.fields ?? [],
        streams: deps.catalog[id]?.streams ?? {},
      }
    })
  return [
    {
      method: 'get',
      path: '/v1/connectors',
      operationId: 'listConnectors',
      summary: 'List the connectors a connection can use (TypeScript and declared)',
      tag: 'connectors',
      access: 'tenant',
      responses: { 200: { description: 'Connectors by id', schema: 'ConnectorList' } },
      handle: (c) => c.json({ items: view() }),
    },
  ]
}

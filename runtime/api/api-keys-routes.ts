import { listApiKeys, revokeApiKey } from '../store/api-keys-queries.ts'
import { getTenant, issueApiKey } from '../store/tenants-store.ts'
import type { ApiDeps } from './api-deps.ts'
import type { ApiRoute } from './api-route.ts'
import { notFound } from './problem.ts'

/** Admin routes: a tenant's API keys (issued once in clear, stored hashed, revocable). */
export function apiKeysRoutes(deps: ApiDeps): ApiRoute[] {
  const tenantOr404 = async (id: string) => {
    const tenant = await getTenant(deps.db, id)
    if (!tenant) throw notFound('tenant', id)
    return tenant
  }
  return [
    {
      method: 'get',
      path: '/v1/tenants/:tenantId/api-keys',
      operationId: 'listApiKeys',
      summary: "List a tenant's API keys (prefixes only)",
      tag: 'tenants',
      access: 'admin',
      responses: { 200: { description: 'Keys, newest first', schema: 'ApiKeyList' } },
      handle: async (c, { params }) => {
        const tenant = await tenantOr404(params.tenantId!)
        return c.json({ items: await listApiKeys(deps.db, tenant.id) })
      },
    },
    {
      method: 'post',
      path: '/v1/tenants/:tenantId/api-keys',
      operationId: 'issueApiKey',
      summary: 'Issue an API key for a tenant; the key is shown once',
      tag: 'tenants',
      access: 'admin',
      body: 'ApiKeyCreate',
      responses: { 201: { description: 'The key in clear (only now)', schema: 'ApiKeyIssued' } },
      handle: async (c, { params, body }) => {
        const tenant = await tenantOr404(params.tenantId!)
        const { name } = body as { name?: string }
        return c.json(await issueApiKey(deps.db, { role: 'tenant', tenantId: tenant.id, name }), 201)
      },
    },
    {
      method: 'delete',
      path: '/v1/tenants/:tenantId/api-keys/:keyId',
      operationId: 'revokeApiKey',
      summary: 'Revoke an API key',
      tag: 'tenants',
      access: 'admin',
      responses: { 204: { description: 'Revoked (revoking twice is harmless)' } },
      handle: async (c, { params }) => {
        const tenant = await tenantOr404(params.tenantId!)
        if (!(await revokeApiKey(deps.db, tenant.id, params.keyId!))) throw notFound('API key', params.keyId!)
        return c.body(null, 204)
      },
    },
  ]
}

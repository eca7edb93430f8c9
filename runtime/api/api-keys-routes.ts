import {
  type KeyRefusal,
  listAllApiKeys,
  listApiKeys,
  revokeAnyApiKey,
  revokeApiKey,
  rotateApiKey,
} from '../store/api-keys-queries.ts'
import { getTenant, issueApiKey } from '../store/tenants-store.ts'
import type { ApiDeps } from './api-deps.ts'
import type { ApiRoute } from './api-route.ts'
import { ApiProblem, notFound } from './problem.ts'

function refusal(reason: KeyRefusal, keyId: string): ApiProblem {
  if (reason === 'last-admin')
    return new ApiProblem(
      409,
      'last-admin-key',
      'this is the last active admin key: issue another admin key first (or rotate this one)',
    )
  if (reason === 'revoked')
    return new ApiProblem(409, 'key-revoked', `API key ${keyId} is revoked; issue a new key instead`)
  return notFound('API key', keyId)
}

/**
 * Admin routes: API keys (issued once in clear, stored hashed, revocable, rotatable) — a tenant's
 * under its tenant, and every key of the deployment, admin keys included, under `/v1/api-keys`.
 */
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
    {
      method: 'get',
      path: '/v1/api-keys',
      operationId: 'listAllApiKeys',
      summary: 'List every API key of the deployment, admin keys included (prefixes only)',
      tag: 'tenants',
      access: 'admin',
      responses: { 200: { description: 'Keys, newest first', schema: 'ApiKeyList' } },
      handle: async (c) => c.json({ items: await listAllApiKeys(deps.db) }),
    },
    {
      method: 'post',
      path: '/v1/api-keys',
      operationId: 'issueAdminKey',
      summary: 'Issue another admin key; the key is shown once',
      tag: 'tenants',
      access: 'admin',
      body: 'ApiKeyCreate',
      responses: { 201: { description: 'The key in clear (only now)', schema: 'ApiKeyIssued' } },
      handle: async (c, { body }) => {
        const { name } = body as { name?: string }
        return c.json(await issueApiKey(deps.db, { role: 'admin', name }), 201)
      },
    },
    {
      method: 'delete',
      path: '/v1/api-keys/:keyId',
      operationId: 'revokeAnyApiKey',
      summary: 'Revoke any API key, admin keys included (not the last active admin key)',
      tag: 'tenants',
      access: 'admin',
      responses: {
        204: { description: 'Revoked (revoking twice is harmless)' },
        409: { description: 'The last active admin key', schema: 'Problem' },
      },
      handle: async (c, { params }) => {
        const refused = await revokeAnyApiKey(deps.db, params.keyId!)
        if (refused) throw refusal(refused, params.keyId!)
        return c.body(null, 204)
      },
    },
    {
      method: 'post',
      path: '/v1/api-keys/:keyId/rotate',
      operationId: 'rotateApiKey',
      summary: 'Replace a key by a new one (same role, tenant and name); the old one stops working now',
      tag: 'tenants',
      access: 'admin',
      responses: {
        201: { description: 'The new key in clear (only now)', schema: 'ApiKeyIssued' },
        409: { description: 'The key is revoked', schema: 'Problem' },
      },
      handle: async (c, { params }) => {
        const rotated = await rotateApiKey(deps.db, params.keyId!)
        if ('refused' in rotated) throw refusal(rotated.refused, params.keyId!)
        return c.json(rotated, 201)
      },
    },
  ]
}

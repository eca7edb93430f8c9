import { ensureTenant, getTenant, listTenants } from '../store/tenants-store.ts'
import type { ApiDeps } from './api-deps.ts'
import type { ApiRoute } from './api-route.ts'
import { ApiProblem, notFound } from './problem.ts'

/** Admin routes: tenants. */
export function tenantsRoutes(deps: ApiDeps): ApiRoute[] {
  return [
    {
      method: 'get',
      path: '/v1/tenants',
      operationId: 'listTenants',
      summary: 'List tenants',
      tag: 'tenants',
      access: 'admin',
      responses: { 200: { description: 'All tenants by name', schema: 'TenantList' } },
      handle: async (c) => c.json({ items: await listTenants(deps.db) }),
    },
    {
      method: 'post',
      path: '/v1/tenants',
      operationId: 'createTenant',
      summary: 'Create a tenant',
      tag: 'tenants',
      access: 'admin',
      body: 'TenantCreate',
      responses: { 201: { description: 'The new tenant', schema: 'Tenant' } },
      handle: async (c, { body }) => {
        const { name } = body as { name: string }
        const exists = (await listTenants(deps.db)).some((t) => t.name === name)
        if (exists) throw new ApiProblem(409, 'conflict', `a tenant named "${name}" already exists`)
        return c.json(await ensureTenant(deps.db, name), 201)
      },
    },
    {
      method: 'get',
      path: '/v1/tenants/:tenantId',
      operationId: 'getTenant',
      summary: 'Get a tenant',
      tag: 'tenants',
      access: 'admin',
      responses: { 200: { description: 'The tenant', schema: 'Tenant' } },
      handle: async (c, { params }) => {
        const tenant = await getTenant(deps.db, params.tenantId!)
        if (!tenant) throw notFound('tenant', params.tenantId!)
        return c.json(tenant)
      },
    },
  ]
}

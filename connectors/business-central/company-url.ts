/**
 * Resolves the configured company (GUID or name) to its API URL. A name costs one lookup per
 * process, memoised; a GUID costs nothing.
 */
import type { ConnectorContext } from '../../core/connector/connector.ts'
import { ConnectorError } from '../../core/connector/connector-error.ts'
import { callApi, collection } from './call-api.ts'
import { apiRoot, type Config } from './config.ts'
import { quoteString } from './odata-literal.ts'

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const memoKey = 'bc.companyUrl'

/** True for a bare GUID such as BC ids. */
export function isGuid(value: unknown): value is string {
  return typeof value === 'string' && guidPattern.test(value)
}

/** The companies BC lists for this connection. */
export async function listCompanies(ctx: ConnectorContext<Config>): Promise<{ id: string; name: string }[]> {
  const answer = await callApi<{ value: { id: string; name: string }[] }>(ctx, {
    method: 'GET',
    url: `${apiRoot(ctx.config)}/companies?$select=id,name`,
  })
  return collection(answer).map((c) => ({ id: String(c.id), name: String(c.name) }))
}

/** `{apiRoot}/companies({id})` for the configured company. */
export async function companyUrl(ctx: ConnectorContext<Config>): Promise<string> {
  const cached = ctx.memo.get(memoKey) as string | undefined
  if (cached) return cached
  let id = ctx.config.company
  if (!isGuid(id)) {
    const answer = await callApi<{ value: { id: string }[] }>(ctx, {
      method: 'GET',
      url: `${apiRoot(ctx.config)}/companies?$filter=name eq ${quoteString(id)}&$select=id`,
    })
    const found = collection(answer)[0]
    if (!found) throw new ConnectorError('config', `BC has no company named "${id}" in this environment.`)
    id = String(found.id)
  }
  const url = `${apiRoot(ctx.config)}/companies(${id})`
  ctx.memo.set(memoKey, url)
  return url
}

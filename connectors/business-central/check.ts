/**
 * Proves a connection before it is saved: a token from Entra, the environment and company exist,
 * and the app may read the entity sets Ferry needs. Each failure says what the admin should fix.
 */
import type { ConnectorContext } from '../../core/connector/connector.ts'
import { ConnectorError, isConnectorError } from '../../core/connector/connector-error.ts'
import { accessToken } from './auth.ts'
import { callApi } from './call-api.ts'
import { isGuid, listCompanies } from './company-url.ts'
import { apiRoot, type Config } from './config.ts'

const probes = ['vendors', 'purchaseInvoices', 'accounts', 'dimensions']

/** Checks the connection; returns the company it resolved and what it could read. */
export async function check(ctx: ConnectorContext<Config>): Promise<{ details: Record<string, unknown> }> {
  await accessToken(ctx)
  let companies: { id: string; name: string }[]
  try {
    companies = await listCompanies(ctx)
  } catch (error) {
    if (isConnectorError(error) && error.kind === 'config' && error.status === 404) {
      throw new ConnectorError(
        'config',
        `BC has no environment "${ctx.config.environment}" in this tenant: check the name.`,
        {
          status: 404,
          remoteCode: error.remoteCode,
        },
      )
    }
    throw error
  }
  const wanted = ctx.config.company
  const company = companies.find((c) =>
    isGuid(wanted) ? c.id.toLowerCase() === wanted.toLowerCase() : c.name === wanted,
  )
  if (!company) {
    const names = companies.map((c) => c.name).join(', ')
    throw new ConnectorError(
      'config',
      `BC has no company "${wanted}" in ${ctx.config.environment}. Companies: ${names}.`,
    )
  }
  const base = `${apiRoot(ctx.config)}/companies(${company.id})`
  for (const entitySet of probes) {
    await callApi(ctx, { method: 'GET', url: `${base}/${entitySet}?$top=1&$select=id` })
  }
  return { details: { companyId: company.id, companyName: company.name, readable: probes } }
}

/**
 * What a person picks instead of typing GUIDs after consenting: the environments the signed-in user
 * can reach (BC's `environments/v1.1` list, which also names each one's Entra tenant) and the
 * companies of the chosen environment.
 */
import type { ConfigChoice, ConfigChoices, ConnectorContext } from '../../core/connector/connector.ts'
import { ConnectorError } from '../../core/connector/connector-error.ts'
import { callApi, collection } from './call-api.ts'
import { listCompanies } from './company-url.ts'
import { type Config, defaultBaseUrl } from './config.ts'

interface EnvironmentEntry {
  aadTenantId: string
  name: string
  type?: string
  countryCode?: string
  applicationFamily?: string
}

async function environments(ctx: ConnectorContext<Config>): Promise<ConfigChoice[]> {
  const base = (ctx.config.baseUrl ?? defaultBaseUrl).replace(/\/$/, '')
  const answer = await callApi<{ value: EnvironmentEntry[] }>(ctx, {
    method: 'GET',
    url: `${base}/environments/v1.1`,
  })
  return (collection(answer) as unknown as EnvironmentEntry[])
    .filter((e) => (e.applicationFamily ?? 'BusinessCentral') === 'BusinessCentral')
    .map((e) => ({
      value: String(e.name),
      label: [e.name, e.type, e.countryCode].filter(Boolean).join(' · '),
      set: { tenantId: String(e.aadTenantId) },
    }))
}

/** Environments, then companies: the BC fields a consenting user picks from lists. */
export const configChoices: ConfigChoices<Config> = {
  fields: ['environment', 'company'],
  async list(ctx, field) {
    if (field === 'environment') return environments(ctx)
    if (field === 'company') return (await listCompanies(ctx)).map((c) => ({ value: c.id, label: c.name }))
    throw new ConnectorError('config', `Business Central has no list of values for "${field}".`)
  },
}

import type { ApiClient } from './api-client.ts'
import { CliError } from './cli-error.ts'
import { apiClientFor, type CliIo } from './cli-io.ts'
import { formatTable } from './format-table.ts'
import { formatTime } from './format-time.ts'
import { API_OPTIONS, parseCommandArgs } from './parse-command-args.ts'

const USAGE = `usage: ferry keys [list]                                  every API key: id, prefix, role, tenant, state
       ferry keys create [--tenant <tenant>] [--name <label>]  an admin key, or a key of a tenant (id or name)
       ferry keys revoke <keyId>                        the key stops working now (not the last admin key)
       ferry keys rotate <keyId>                        a new key with the same role, tenant and name; the old one stops working now
  They need the admin key: --key <admin key> or FERRY_ADMIN_KEY.`

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

async function tenantId(client: ApiClient, tenant: string): Promise<string> {
  if (UUID.test(tenant)) return tenant
  const found = (await client.listTenants()).find((t) => t.name === tenant)
  if (!found) throw new CliError(`ferry keys create: no tenant named "${tenant}"`)
  return found.id
}

function printIssued(io: CliIo, what: string, issued: { id: string; key: string }) {
  io.out(`${what} ${issued.id}`)
  io.out(`key (shown once, store it now): ${issued.key}`)
}

/**
 * `ferry keys`: list, create, revoke and rotate API keys through the admin API. A new key is printed
 * once, the only time it exists in clear; listings show prefixes.
 */
export async function keysCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'keys',
    argv,
    { ...API_OPTIONS, tenant: { type: 'string' }, name: { type: 'string' } },
    USAGE,
  )
  const [action = 'list', keyId, ...rest] = positionals
  if (!['list', 'create', 'revoke', 'rotate'].includes(action))
    throw new CliError(`ferry keys: unknown action "${action}"\n${USAGE}`, 2)
  const needsId = action === 'revoke' || action === 'rotate'
  if (rest.length > 0 || (needsId ? !keyId : keyId !== undefined))
    throw new CliError(
      `ferry keys ${action}: ${needsId ? 'name exactly one key id' : 'takes no key id'}\n${USAGE}`,
      2,
    )
  if (needsId && !UUID.test(keyId!)) throw new CliError(`ferry keys ${action}: "${keyId}" is not a key id`, 2)
  // Admin routes: the admin key from the environment comes before the tenant key the demo saved.
  const client = apiClientFor(io, { api: values.api, key: values.key ?? io.env.FERRY_ADMIN_KEY })

  if (action === 'list') {
    const tenants = new Map((await client.listTenants()).map((t) => [t.id, t.name]))
    const rows = (await client.listApiKeys()).map((k) => [
      k.id,
      `${k.prefix}…`,
      k.role,
      k.tenantId ? (tenants.get(k.tenantId) ?? k.tenantId) : '',
      k.name ?? '',
      formatTime(k.createdAt),
      k.revokedAt ? `revoked ${formatTime(k.revokedAt)}` : 'active',
    ])
    for (const line of formatTable(['KEY', 'PREFIX', 'ROLE', 'TENANT', 'NAME', 'CREATED', 'STATE'], rows))
      io.out(line)
    return 0
  }
  if (action === 'create') {
    const tenant = values.tenant === undefined ? undefined : await tenantId(client, values.tenant)
    const issued = await client.issueApiKey({ tenantId: tenant, name: values.name })
    printIssued(io, tenant ? `tenant key for ${values.tenant}:` : 'admin key:', issued)
    return 0
  }
  if (action === 'revoke') {
    await client.revokeApiKey(keyId!)
    io.out(`revoked ${keyId}`)
    return 0
  }
  const rotated = await client.rotateApiKey(keyId!)
  io.out(`revoked ${keyId}`)
  printIssued(io, 'replaced by', rotated)
  return 0
}

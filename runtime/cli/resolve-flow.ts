import type { ApiClient } from './api-client.ts'
import type { ApiFlow } from './api-types.ts'
import { CliError } from './cli-error.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A flow named on the command line by id or by name (names are what people remember). */
export async function resolveFlow(client: ApiClient, idOrName: string): Promise<ApiFlow> {
  const flows = await client.listFlows()
  const flow = UUID.test(idOrName)
    ? flows.find((f) => f.id === idOrName)
    : flows.find((f) => f.name === idOrName)
  if (flow) return flow
  const names = flows.map((f) => f.name).join(', ')
  throw new CliError(`no flow "${idOrName}" for this key${names ? `; the flows are: ${names}` : ''}`)
}

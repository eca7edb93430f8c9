import type { ConsoleSession } from '../../store/console-sessions-store.ts'
import { readApi } from '../call-api.ts'
import type { ConsoleDeps } from '../console-deps.ts'

/** A flow as GET /v1/flows lists it (the part going live uses). */
export interface GoLiveFlow {
  id: string
  name: string
  recipe: string | null
  enabled: boolean
  mode: 'live' | 'shadow'
}

/** A recipe as GET /v1/recipes lists it (the part going live uses). */
export interface GoLiveRecipe {
  name: string
  title: string
  roles: Record<string, string>
  moves: { flow: string; to: { role: string } }[]
}

/** A reconciliation as GET /v1/reconciliations returns it. */
export interface Reconciliation {
  id: string
  flowId: string | null
  recipe: string | null
  periodFrom: string
  periodTo: string
  state: 'queued' | 'running' | 'done' | 'failed'
  counts: Record<string, number>
  error: { message?: string; detail?: string } | null
  createdAt: string
  flows?: { flowId: string; flowName: string; counts: Record<string, number> }[]
}

/** What the tenant has enabled, and in words which system each flow writes to. */
export async function loadGoLive(deps: ConsoleDeps, session: ConsoleSession) {
  const [recipes, flows, connectors] = await Promise.all([
    readApi<{ items: GoLiveRecipe[] }>(deps.api, session, '/v1/recipes'),
    readApi<{ items: GoLiveFlow[] }>(deps.api, session, '/v1/flows'),
    readApi<{ items: { id: string; title: string }[] }>(deps.api, session, '/v1/connectors'),
  ])
  const titles = new Map(connectors.items.map((c) => [c.id, c.title]))
  const targetOf = (recipe: GoLiveRecipe | undefined, flowName: string) => {
    // A recipe's flows are installed as `<recipe>-<flow>` (create-recipe-installer.ts).
    const move = recipe?.moves.find((m) => flowName === m.flow || flowName === `${recipe.name}-${m.flow}`)
    const connector = move ? recipe?.roles[move.to.role] : undefined
    return connector ? (titles.get(connector) ?? connector) : undefined
  }
  const enabled = recipes.items
    .map((recipe) => ({ recipe, flows: flows.items.filter((f) => f.recipe === recipe.name) }))
    .filter((x) => x.flows.length > 0)
  /** The systems a recipe (or one flow of it) writes to, in words: "Business Central". */
  const systemOf = (recipeName: string | null, flowId?: string | null) => {
    const recipe = recipes.items.find((r) => r.name === recipeName)
    const names = flows.items
      .filter((f) => (flowId ? f.id === flowId : f.recipe === recipeName))
      .map((f) => targetOf(recipe ?? recipes.items.find((r) => r.name === f.recipe), f.name))
      .filter((x): x is string => Boolean(x))
    return [...new Set(names)].join(' / ') || '—'
  }
  return { enabled, systemOf }
}

/** A day as YYYY-MM-DD moved by `days` (the API's period end is exclusive; people name the last day). */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`)
  date.setUTCDate(date.getUTCDate() + days)
  return date.toISOString().slice(0, 10)
}

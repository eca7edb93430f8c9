/** Response schemas of shadow mode and going live (see go-live-routes.ts). */
import type { JsonSchema } from '../../core/connector/connector.ts'

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const id = { type: 'string', format: 'uuid' }
const listOf = (name: string) => ({
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: ref(name) } },
})

/** Component schemas by name, merged into the API's response schemas. */
export const goLiveResponseSchemas: Record<string, JsonSchema> = {
  FlowMode: {
    type: 'object',
    required: ['id', 'mode'],
    properties: { id, mode: { enum: ['live', 'shadow'] } },
  },
  GoLiveItem: {
    type: 'object',
    required: ['recordId', 'sourceKey'],
    properties: {
      recordId: id,
      sourceKey: { type: 'string' },
      targetId: { type: 'string' },
      targetNumber: { type: 'string' },
      reason: { type: 'string' },
    },
  },
  GoLiveReport: {
    type: 'object',
    required: ['flowId', 'flowName', 'dryRun', 'linked', 'toWrite', 'inFlight'],
    properties: {
      flowId: id,
      flowName: { type: 'string' },
      dryRun: { type: 'boolean' },
      linked: {
        type: 'array',
        items: ref('GoLiveItem'),
        description:
          'Already in the target (keyed by hand during the sample period): linked, not written again.',
      },
      toWrite: { type: 'array', items: ref('GoLiveItem'), description: 'Written once when live.' },
      inFlight: { type: 'integer', description: 'Shadow records still being processed.' },
    },
  },
  GoLiveReports: listOf('GoLiveReport'),
  FlowModes: listOf('FlowMode'),
}

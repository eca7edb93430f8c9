import { defineConnector } from '../../core/connector/connector.ts'

/** Placeholder until the connector lands: declares no streams. */
export const basware = defineConnector({
  id: 'basware',
  title: 'Basware P2P',
  configSchema: { type: 'object', properties: { secret: { type: 'string', writeOnly: true } } },
  async check() {
    return {}
  },
  streams: {},
})

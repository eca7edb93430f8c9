import { defineConnector } from '../../core/connector/connector.ts'

/** Placeholder until the connector lands: declares no streams. */
export const misa = defineConnector({
  id: 'misa',
  title: 'MISA AMIS Kế toán',
  configSchema: { type: 'object', properties: { secret: { type: 'string', writeOnly: true } } },
  async check() {
    return {}
  },
  streams: {},
})

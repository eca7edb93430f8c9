import { defineConnector } from '../../core/connector/connector.ts'

/** Placeholder until the connector lands: declares no streams. */
export const businessCentral = defineConnector({
  id: 'business-central',
  title: 'Microsoft Dynamics 365 Business Central',
  configSchema: { type: 'object', properties: { secret: { type: 'string', writeOnly: true } } },
  async check() {
    return {}
  },
  streams: {},
})

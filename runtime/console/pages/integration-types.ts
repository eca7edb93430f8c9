/** A connector as GET /v1/connectors lists it (the part the console uses). */
export interface ConnectorItem {
  id: string
  title: string
  consent: boolean
  configSchema: Record<string, unknown>
  /** Config fields whose values the system lists (picked, not typed). */
  choices?: string[]
}

/** The optional config fields of a connector that are picked from the system's list after saving. */
export function pickedAfterSaving(connector: ConnectorItem): string[] {
  const required = (connector.configSchema.required as string[] | undefined) ?? []
  return (connector.choices ?? []).filter((field) => !required.includes(field))
}

/** A connection as GET /v1/connections lists it (secrets masked). */
export interface ConnectionItem {
  id: string
  name: string
  connector: string
  config: Record<string, unknown>
  status: string
  statusMessage: string | null
  /** When the status last changed (ISO time). */
  statusSince: string | null
  /** The last passed check or delivered record (ISO time). */
  lastSuccessAt: string | null
}

/** The masked value the API shows for a stored secret. */
export const SECRET_MASK = '••••'

/** The names of the stored secrets of a connection (the API masks them). */
export function storedSecrets(connection: ConnectionItem | undefined): string[] {
  return Object.entries(connection?.config ?? {})
    .filter(([, v]) => v === SECRET_MASK)
    .map(([k]) => k)
}

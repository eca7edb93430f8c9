/**
 * The field catalogue of the BC API v2.0 entity sets Ferry uses: names, wire types, read-only flags,
 * max lengths, enum members (in wire form) and allowed operations. Extracted from the AL API pages;
 * the connector builds its stream schemas from it and the sandbox validates writes against it, so
 * both agree with the real service field for field.
 */
import { ConnectorError } from '../../core/connector/connector-error.ts'
import catalogue from './api-fields.json' with { type: 'json' }

/** The wire type of a property. */
export type FieldType = 'guid' | 'string' | 'number' | 'boolean' | 'date' | 'datetime' | 'enum'

/** One property of an entity set. */
export interface FieldSpec {
  type: FieldType
  readOnly?: boolean
  maxLength?: number
  /** Enum members in wire form (`_x0020_` escaped). */
  enum?: string[]
}

/** One entity set of the catalogue. */
export interface EntitySpec {
  key: string
  scope: 'company' | 'environment'
  operations: ('get' | 'post' | 'patch' | 'delete')[]
  navigation: string[]
  properties: Record<string, FieldSpec>
}

/** Every entity set in the catalogue, by its URL name. */
export const apiFields = catalogue as unknown as Record<string, EntitySpec>

/** The catalogue entry of `entitySet`; throws for a name the catalogue does not know. */
export function entitySpec(entitySet: string): EntitySpec {
  const spec = apiFields[entitySet]
  if (!spec) throw new ConnectorError('config', `The BC connector has no entity set named ${entitySet}.`)
  return spec
}

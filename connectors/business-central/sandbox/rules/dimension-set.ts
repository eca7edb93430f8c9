/**
 * Dimension sets of documents, lines and G/L entries. BC exposes them as `dimensionSetLines` keyed
 * by the dimension's id, reachable only through a parent; the emulator keeps them as
 * `extra.dims: { [dimensionId]: valueId }` on the parent entity.
 */
import { encodeEnum } from '../../odata-enum.ts'
import { dialog } from '../protocol/bc-http-error.ts'
import type { Company } from '../state/sandbox-state.ts'
import type { Entity } from '../state/table.ts'

/** `{ dimensionId: valueId }` of a parent. */
export type DimensionSet = Record<string, string>

/** Resolves a dimensionSetLines payload item to `[dimensionId, valueId]`, with BC's messages. */
export function resolveDimensionLine(company: Company, line: Record<string, unknown>): [string, string] {
  const dimensions = company.tables.dimensions!
  let dimension: Entity | undefined
  if (typeof line.id === 'string' && line.id) dimension = dimensions.get(line.id)
  else if (typeof line.code === 'string' && line.code) {
    const [id] = dimensions.lookup('code', line.code.toUpperCase())
    dimension = id ? dimensions.get(id) : undefined
  } else throw dialog('The "id" or "code" field must be filled in.')
  if (!dimension) throw dialog(`The dimension ${String(line.code ?? line.id)} does not exist.`)
  const values = company.tables.dimensionValues!
  let value: Entity | undefined
  if (typeof line.valueId === 'string' && line.valueId) value = values.get(line.valueId)
  else if (typeof line.valueCode === 'string') {
    const ids = values.lookup('code', line.valueCode.toUpperCase())
    value = [...ids].map((id) => values.get(id)!).find((v) => v.data.dimensionId === dimension.id)
    if (!value) throw dialog('The "valueCode" does not match to a Dimension Value.')
  }
  if (!value || value.data.dimensionId !== dimension.id)
    throw dialog('The "valueId" does not match to a Dimension Value.')
  return [dimension.id, value.id]
}

/** Adds the lines to `set`; a dimension already present is BC's "already exists" error. */
export function addDimensionLines(company: Company, set: DimensionSet, lines: unknown): void {
  if (lines === undefined) return
  if (!Array.isArray(lines)) throw dialog('dimensionSetLines must be an array.')
  for (const line of lines as Record<string, unknown>[]) {
    const [dimensionId, valueId] = resolveDimensionLine(company, line)
    if (set[dimensionId]) {
      throw dialog(
        'The dimension set line already exists. Check existing dimension set lines and the default dimension set lines on the parent.',
      )
    }
    set[dimensionId] = valueId
  }
}

/** The wire rows of a parent's dimension set. */
export function dimensionSetRows(
  company: Company,
  parent: Entity,
  parentType: string,
): Record<string, unknown>[] {
  const set = (parent.extra.dims ?? {}) as DimensionSet
  return Object.entries(set).map(([dimensionId, valueId]) => {
    const dimension = company.tables.dimensions!.get(dimensionId)
    const value = company.tables.dimensionValues!.get(valueId)
    return {
      '@odata.etag': `W/"${Buffer.from(`${parent.id};${dimensionId};${valueId}`).toString('base64')}"`,
      id: dimensionId,
      code: dimension?.data.code ?? '',
      consolidationCode: dimension?.data.consolidationCode ?? '',
      parentId: parent.id,
      parentType: encodeEnum(parentType),
      displayName: dimension?.data.displayName ?? '',
      valueId,
      valueCode: value?.data.code ?? '',
      valueConsolidationCode: value?.data.consolidationCode ?? '',
      valueDisplayName: value?.data.displayName ?? '',
    }
  })
}

/** `DEPARTMENT/SALES` style codes of every dimension value in a set. */
export function dimensionCodes(company: Company, set: DimensionSet): { dimension: string; value: string }[] {
  return Object.entries(set).map(([dimensionId, valueId]) => ({
    dimension: String(company.tables.dimensions!.get(dimensionId)?.data.code ?? ''),
    value: String(company.tables.dimensionValues!.get(valueId)?.data.code ?? ''),
  }))
}

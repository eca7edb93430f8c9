type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

// JSONata marks its internal arrays with flags on the array object: `sequence`, and `keepSingleton` also on
// arrays that are not sequences (`singleArray[]` answers the input array's copy flagged so).
const isFlagged = (value: unknown[]): boolean => {
  const flags = value as { sequence?: boolean; keepSingleton?: boolean; outerWrapper?: boolean }
  return flags.sequence === true || flags.keepSingleton === true || flags.outerWrapper === true
}

const isJsonataFunction = (value: object): boolean =>
  (value as { _jsonata_lambda?: boolean })._jsonata_lambda === true ||
  (value as { _jsonata_function?: boolean })._jsonata_function === true

/**
 * Turns a JSONata result into plain JSON: no result becomes `null`, sequences become plain arrays
 * (a one-element array the author wrote as `[…]` stays an array), functions and `undefined` members are
 * dropped as `JSON.stringify` would. Copy-on-write: subtrees that are already plain (including parts of
 * the input the mapping passed through) are returned as they are, so the cost is one read-only walk.
 */
export function normaliseResult(value: unknown): Json {
  const result = toJson(value)
  return result === undefined ? null : result
}

function toJson(value: unknown): Json | undefined {
  if (value === null) return null
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value
    case 'number':
      return Number.isFinite(value) ? value : null
    case 'object':
      if (Array.isArray(value)) return arrayToJson(value)
      // JSONata lambdas and native functions are objects (with a cyclic environment), not JS functions.
      if (isJsonataFunction(value)) return undefined
      return objectToJson(value as Record<string, unknown>)
    default:
      return undefined
  }
}

function arrayToJson(array: unknown[]): Json[] {
  let copy: Json[] | undefined = isFlagged(array) ? [] : undefined
  for (let i = 0; i < array.length; i++) {
    const item = array[i]
    const json = toJson(item)
    const plain = json === undefined ? null : json
    if (copy === undefined && plain !== item) copy = array.slice(0, i) as Json[]
    if (copy !== undefined) copy.push(plain)
  }
  // slice() makes a plain array, so the sequence flags stay behind.
  return copy ?? (array as Json[])
}

function objectToJson(object: Record<string, unknown>): { [key: string]: Json } {
  let copy: { [key: string]: Json } | undefined
  for (const key in object) {
    const item = object[key]
    const json = toJson(item)
    if (copy === undefined && (json !== item || json === undefined)) {
      copy = {}
      for (const earlier in object) {
        if (earlier === key) break
        copy[earlier] = object[earlier] as Json
      }
    }
    if (copy !== undefined && json !== undefined) copy[key] = json
  }
  return copy ?? (object as { [key: string]: Json })
}

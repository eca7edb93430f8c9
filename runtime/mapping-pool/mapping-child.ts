/**
 * A mapping child process: evaluates tenant JSONata for the mapping pool, one request at a time, under a
 * V8 heap limit set by the parent. Lookups are asked of the parent. Runs with `node --import tsx`.
 */
import { compileMapping } from '../../core/mapping/compile-mapping.ts'
import { isMappingError, MappingError } from '../../core/mapping/mapping-error.ts'
import type { EvaluateRequest, FromChild, LookupAnswer, ToChild } from './pool-protocol.ts'

const send = (message: FromChild) => process.send!(message)
const pending = new Map<number, (answer: LookupAnswer) => void>()
let nextLookup = 0

async function evaluate(request: EvaluateRequest): Promise<void> {
  try {
    const compiled = compileMapping(request.source, {
      timeoutMs: request.timeoutMs,
      ...(request.maxDepth === undefined ? {} : { maxDepth: request.maxDepth }),
      ...(request.name === undefined ? {} : { name: request.name }),
    })
    const lookup = request.lookups
      ? (table: string, key: unknown) =>
          new Promise<unknown>((resolve, reject) => {
            const lookupId = nextLookup++
            pending.set(lookupId, (answer) => {
              if (answer.error)
                reject(new MappingError(answer.error.code ?? 'lookup_failed', answer.error.message))
              else resolve(answer.value)
            })
            send({ kind: 'lookup', id: request.id, lookupId, table, key })
          })
      : undefined
    const value = await compiled.evaluate(request.input, {
      lookup,
      recordKey: request.recordKey,
      vars: request.vars,
    })
    const bytes = Buffer.byteLength(JSON.stringify(value) ?? 'null')
    if (bytes > request.maxOutputBytes) {
      throw new MappingError(
        'output_limit',
        `the mapping's result is ${bytes} bytes, over the ${request.maxOutputBytes}-byte output limit`,
      )
    }
    send({ kind: 'result', id: request.id, value })
  } catch (thrown) {
    const error = isMappingError(thrown)
      ? thrown
      : new MappingError('mapping_failed', thrown instanceof Error ? thrown.message : String(thrown))
    send({
      kind: 'result',
      id: request.id,
      error: { code: error.code, message: error.message, position: error.position, token: error.token },
    })
  }
}

process.on('message', (message: ToChild) => {
  if (message.kind === 'evaluate') void evaluate(message)
  else {
    const settle = pending.get(message.lookupId)
    pending.delete(message.lookupId)
    settle?.(message)
  }
})
// The parent going away ends the child: the IPC channel closes.
process.on('disconnect', () => process.exit(0))
send({ kind: 'result', id: -1 })

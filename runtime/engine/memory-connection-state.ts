import type { ConnectionState } from '../../core/connector/connector.ts'

/** A ConnectionState kept in memory: for a check before a connection is saved, and for connector tests. */
export function memoryConnectionState(): ConnectionState & { readonly data: Map<string, unknown> } {
  const data = new Map<string, unknown>()
  const locks = new Map<string, Promise<unknown>>()
  return {
    data,
    async get<T>(key: string) {
      const value = data.get(key)
      return value === undefined ? undefined : (structuredClone(value) as T)
    },
    async set(key, value) {
      data.set(key, structuredClone(value))
    },
    async getMany<T>(keys: readonly string[]) {
      const found = new Map<string, T>()
      for (const key of keys) if (data.has(key)) found.set(key, structuredClone(data.get(key)) as T)
      return found
    },
    async setMany(entries) {
      for (const [key, value] of entries) data.set(key, structuredClone(value))
    },
    async delete(key) {
      data.delete(key)
    },
    async withLock(key, fn) {
      const previous = locks.get(key) ?? Promise.resolve()
      const run = previous.then(fn, fn)
      locks.set(
        key,
        run.catch(() => undefined),
      )
      return run
    },
  }
}

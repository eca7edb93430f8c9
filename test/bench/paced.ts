/**
 * Starts `fn(0) … fn(count - 1)` at a steady `perSecond`, each on its own absolute slot (start +
 * i / perSecond) so that a slow call never delays the ones after it, and resolves to all results.
 */
export async function paced<T>(
  count: number,
  perSecond: number,
  fn: (index: number) => Promise<T>,
): Promise<T[]> {
  const started = performance.now()
  const pending: Promise<T>[] = []
  for (let i = 0; i < count; i++) {
    const wait = started + (i * 1000) / perSecond - performance.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    pending.push(fn(i))
  }
  return Promise.all(pending)
}

/**
 * Polls `check` until it returns a truthy value or `timeoutMs` passes (then throws with `what`). The
 * default bound is generous on purpose: the suite must pass on a loaded machine (a CPU hog beside it),
 * and a condition that holds returns at once however long the bound.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false | null>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

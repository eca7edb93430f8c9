/**
 * JSONata's depth limit (`stack`, D1011) counts every evaluation step in flight at once, and JSONata
 * evaluates the fields of an object constructor and the items of an array constructor concurrently: a
 * mapping with a few hundred fields is "deep" to it although it nests a handful of levels. This guard
 * measures the real depth instead — the evaluation steps along the path being evaluated — so width costs
 * nothing and recursion is stopped at the limit.
 *
 * It runs where depth can grow without bound: only function application (recursion) nests evaluations
 * deeper than the expression itself, and every application creates a frame, so it hooks frame creation
 * (`jsonata.__createFrame_push`, a synchronous callback; no cost per evaluation step). JSONata's in-flight
 * count, an upper bound of the real depth, is read first; only when it is over the limit is the real depth
 * taken, as the number of JSONata `evaluate` calls in V8's async stack trace of the step being evaluated
 * (each awaits its child, so the async trace is the path from the root).
 */

const EVALUATE = 'evaluate'

/** The number of JSONata evaluation steps on the path of the currently running step. */
export function evaluationDepth(limit: number): number {
  const { stackTraceLimit, prepareStackTrace } = Error
  let depth = 0
  // Some frames per level are JSONata's helpers (evaluateBinary, apply…); 8 per level is ample.
  Error.stackTraceLimit = limit * 8 + 64
  Error.prepareStackTrace = (_error, sites) => {
    for (const site of sites) if (site.getFunctionName() === EVALUATE) depth++
    return ''
  }
  try {
    const holder: { stack?: string } = {}
    Error.captureStackTrace(holder)
    void holder.stack
  } finally {
    Error.stackTraceLimit = stackTraceLimit
    Error.prepareStackTrace = prepareStackTrace
  }
  return depth
}

/** The evaluation's root frame as JSONata keeps it, with this guard's bookkeeping. */
interface RootFrame {
  depth?: number
  /** The in-flight count above which the next real-depth measurement is due. */
  ferryDepthCheckAbove?: number
  /** Frame pushes since the last measurement. */
  ferryDepthPushes?: number
}

/** What JSONata passes to the frame hook: the enclosing frame, whose `base` is the evaluation's root frame. */
interface Frame {
  base?: RootFrame
}

// Real depth can only grow by growing the in-flight count, unless other branches finish meanwhile; so a
// measurement is due when the in-flight count has grown by the headroom left at the last one, and at
// least every MEASURE_EVERY frame pushes while the count is over the limit.
const MEASURE_EVERY = 64

/** The `jsonata.__createFrame_push` callback that fails an evaluation nested deeper than `maxDepth` with D1011. */
export function depthGuard(maxDepth: number): (enclosing: Frame) => void {
  return (enclosing) => {
    const root = enclosing.base
    const inFlight = root?.depth
    if (root === undefined || inFlight === undefined || inFlight <= maxDepth) return
    const pushes = (root.ferryDepthPushes ?? 0) + 1
    if (inFlight <= (root.ferryDepthCheckAbove ?? 0) && pushes < MEASURE_EVERY) {
      root.ferryDepthPushes = pushes
      return
    }
    const depth = evaluationDepth(maxDepth)
    if (depth > maxDepth) throw { code: 'D1011', value: maxDepth }
    root.ferryDepthPushes = 0
    root.ferryDepthCheckAbove = inFlight + (maxDepth - depth)
  }
}

import { type ChildProcess, fork } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** Where the child's code is: the TypeScript source (run with tsx), or mapping-child.js of the CLI build. */
function childModule(): { file: string; cwd: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url)
  if (here.endsWith('.ts'))
    return {
      file: path.join(path.dirname(here), 'mapping-child.ts'),
      cwd: fileURLToPath(new URL('../../', import.meta.url)),
      execArgv: ['--import', 'tsx'],
    }
  // Bundled: this code is in dist/cli/main.js or a chunk under dist/cli/chunks/.
  for (const dir of [path.dirname(here), path.dirname(path.dirname(here))]) {
    const file = path.join(dir, 'mapping-child.js')
    if (existsSync(file)) return { file, cwd: dir, execArgv: [] }
  }
  throw new Error(`mapping-child.js is not beside ${here}: rebuild the CLI (npm run build)`)
}

/**
 * Starts a mapping child process with a V8 heap limit of `maxHeapMb`. It is unreferenced: an idle child
 * never keeps this process alive (the pool references its channel while it works).
 */
export function spawnMappingChild(maxHeapMb: number): ChildProcess {
  const { file, cwd, execArgv } = childModule()
  const child = fork(file, [], {
    cwd,
    execArgv: [...execArgv, `--max-old-space-size=${maxHeapMb}`],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  })
  child.unref()
  child.channel?.unref()
  ;(child.stderr as unknown as { unref?: () => void } | null)?.unref?.()
  return child
}

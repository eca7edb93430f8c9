import path from 'node:path'

/** Where Ferry keeps its embedded database and master key: FERRY_DATA_DIR, else `.ferry` in the working directory. */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.FERRY_DATA_DIR ?? '.ferry')
}

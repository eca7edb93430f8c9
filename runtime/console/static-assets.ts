import { readFileSync } from 'node:fs'
import path from 'node:path'
import { Hono } from 'hono'
import { ferryRoot } from '../../connectors/ferry-root.ts'

const ASSETS: Record<string, string> = {
  'console.css': 'text/css; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
}

/**
 * The console's two static files (its stylesheet and its progressive-enhancement script), read once
 * at start and served with a short public cache. Pages work without the script. Found from Ferry's
 * install folder, not from this module: bundled into the CLI build, it runs from dist/cli/chunks/.
 */
export function staticAssets(): Hono {
  const app = new Hono()
  const files = Object.entries(ASSETS).map(([name, type]) => ({
    name,
    type,
    body: readFileSync(path.join(ferryRoot, 'runtime', 'console', 'assets', name)),
  }))
  for (const file of files)
    app.get(`/${file.name}`, (c) =>
      c.body(file.body, 200, { 'content-type': file.type, 'cache-control': 'public, max-age=300' }),
    )
  return app
}

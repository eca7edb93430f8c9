#!/usr/bin/env node
// The installed `ferry` binary: runs the TypeScript CLI through tsx (a runtime dependency).
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const tsx = path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'cli.mjs')
const main = path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.ts')
const result = spawnSync(process.execPath, [tsx, main, ...process.argv.slice(2)], { stdio: 'inherit' })
process.exit(result.status ?? 1)

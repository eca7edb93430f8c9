import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { createSecretBox, loadMasterKey } from './secret-box.ts'

describe('secret box', () => {
  const box = createSecretBox(randomBytes(32))

  it('round-trips secrets and never stores them in the clear', () => {
    const sealed = box.seal({ clientSecret: 'hunter2-very-secret' })
    expect(sealed).not.toContain('hunter2')
    expect(box.open(sealed)).toEqual({ clientSecret: 'hunter2-very-secret' })
  })

  it('refuses a tampered ciphertext and a different key', () => {
    const sealed = box.seal({ a: 1 })
    const parts = sealed.split('.')
    parts[3] = Buffer.from('tampered').toString('base64url')
    expect(() => box.open(parts.join('.'))).toThrow(/cannot decrypt/)
    expect(() => createSecretBox(randomBytes(32)).open(sealed)).toThrow(/master key/)
  })

  it('generates the master key once, with 0600 permissions, and reuses it', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ferry-key-'))
    onTestFinished(() => fs.rm(dir, { recursive: true, force: true }))
    const first = await loadMasterKey(dir, {})
    const second = await loadMasterKey(dir, {})
    expect(first.equals(second)).toBe(true)
    expect((await fs.stat(path.join(dir, 'master.key'))).mode & 0o777).toBe(0o600)
    const fromEnv = await loadMasterKey(dir, { FERRY_MASTER_KEY: 'ab'.repeat(32) })
    expect(fromEnv.toString('hex')).toBe('ab'.repeat(32))
  })
})

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'

/** Encrypts connection secrets at rest with AES-256-GCM under one master key. */
export interface SecretBox {
  seal(value: Record<string, unknown>): string
  open(sealed: string): Record<string, unknown>
}

const VERSION = 'v1'

/** A SecretBox on a 32-byte key. Sealed form: `v1.<iv>.<tag>.<ciphertext>` (base64url). */
export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32)
    throw new Error('the master key must be 32 bytes (64 hex characters or 44 base64 characters)')
  return {
    seal(value) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()])
      return [
        VERSION,
        iv.toString('base64url'),
        cipher.getAuthTag().toString('base64url'),
        body.toString('base64url'),
      ].join('.')
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split('.')
      if (version !== VERSION || !iv || !tag || body === undefined)
        throw new Error('sealed secret has an unknown format')
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
      decipher.setAuthTag(Buffer.from(tag, 'base64url'))
      try {
        const text = Buffer.concat([
          decipher.update(Buffer.from(body, 'base64url')),
          decipher.final(),
        ]).toString('utf8')
        return JSON.parse(text) as Record<string, unknown>
      } catch {
        throw new Error(
          'cannot decrypt connection secrets: the master key (FERRY_MASTER_KEY) is not the one they were sealed with',
        )
      }
    },
  }
}

/** Parses FERRY_MASTER_KEY (hex or base64). */
export function parseMasterKey(text: string): Buffer {
  const trimmed = text.trim()
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64')
  if (key.length !== 32)
    throw new Error('FERRY_MASTER_KEY must encode 32 bytes (64 hex characters or base64)')
  return key
}

/**
 * The master key: FERRY_MASTER_KEY when set, else `<dataDir>/master.key`, generated with mode 0600
 * on first start.
 */
export async function loadMasterKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<Buffer> {
  if (env.FERRY_MASTER_KEY) return parseMasterKey(env.FERRY_MASTER_KEY)
  const file = path.join(dataDir, 'master.key')
  if (!existsSync(file)) {
    await fs.mkdir(dataDir, { recursive: true })
    await fs
      .writeFile(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' })
      .catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'EEXIST') throw e
      })
  }
  return parseMasterKey(await fs.readFile(file, 'utf8'))
}

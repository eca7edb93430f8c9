/**
 * The pre-signed download objects behind the accountingDocuments 302 redirect. Basware serves the
 * page from S3-style storage: the redirected request must carry no Authorization header (a second
 * auth mechanism is refused), and the continuation token arrives on this response.
 */
import { randomBytes, randomUUID } from 'node:crypto'

/** One page waiting to be downloaded: rendered when fetched, so it shows current document state. */
export interface ExportObject {
  ids: readonly string[]
  continuationToken?: string
  expiresAt: number
}

const URL_LIFETIME_MS = 15 * 60 * 1000

/** Objects by key, oldest first, pruned as they expire. */
export class ExportObjects {
  private readonly objects = new Map<string, ExportObject>()

  constructor(private readonly now: () => Date) {}

  /** Stores a page; returns the object key and the query string of its pre-signed URL. */
  put(ids: readonly string[], continuationToken: string | undefined): { key: string; query: string } {
    const now = this.now().getTime()
    for (const [k, o] of this.objects) {
      if (o.expiresAt > now) break
      this.objects.delete(k)
    }
    const key = `accounting-documents/${randomUUID()}.json`
    this.objects.set(key, { ids, continuationToken, expiresAt: now + URL_LIFETIME_MS })
    const query = `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=900&X-Amz-Signature=${randomBytes(32).toString('hex')}`
    return { key, query }
  }

  /** The object, or why it cannot be served. */
  get(key: string): ExportObject | 'missing' | 'expired' {
    const object = this.objects.get(key)
    if (!object) return 'missing'
    return object.expiresAt <= this.now().getTime() ? 'expired' : object
  }

  clear(): void {
    this.objects.clear()
  }
}

/** The S3-style XML error the download host answers with. */
export function s3Error(status: number, code: string, message: string): Response {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`
  return new Response(body, { status, headers: { 'content-type': 'application/xml' } })
}

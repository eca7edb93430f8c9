import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { declared, remoteContext } from './test-env.ts'

/** A remote with documents: create (idempotent by key), update with If-Match, find by number, post. */
function remote() {
  const docs = new Map<string, Record<string, unknown>>()
  const byKey = new Map<string, string>()
  let n = 0
  const app = new Hono()
  app.post('/docs', async (c) => {
    const key = c.req.header('idempotency-key')
    if (key && byKey.has(key)) return c.json({ result: docs.get(byKey.get(key)!) }, 200)
    const body = await c.req.json<Record<string, unknown>>()
    const doc = {
      ...(body.doc as object),
      docId: `D${++n}`,
      docNumber: `INV-${1000 + n}`,
      status: 'Draft',
      etag: 'v1',
    }
    docs.set(doc.docId, doc)
    if (key) byKey.set(key, doc.docId)
    return c.json({ result: doc }, 201)
  })
  app.patch('/docs/:id', async (c) => {
    const doc = docs.get(c.req.param('id'))
    if (!doc) return c.json({ message: 'no such doc' }, 404)
    if (c.req.header('if-match') !== doc.etag) return c.json({ message: 'changed meanwhile' }, 412)
    Object.assign(doc, await c.req.json(), { etag: 'v2' })
    return c.json({ result: doc })
  })
  app.get('/docs', (c) =>
    c.json({ value: [...docs.values()].filter((d) => d.number === c.req.query('number')) }),
  )
  app.post('/docs/:id/post', (c) => {
    const doc = docs.get(c.req.param('id'))!
    doc.status = 'Posted'
    doc.docNumber = `PINV-${doc.docNumber}`
    return c.json({ result: doc })
  })
  app.delete('/docs/:id', (c) =>
    docs.delete(c.req.param('id')) ? c.body(null, 204) : c.json({ message: 'gone' }, 404),
  )
  return { app, docs }
}

const connector = declared(`version: 1
id: docs-test
title: Docs
baseUrl: https://remote.test
streams:
  docs:
    description: Documents.
    find:
      path: /docs
      query: { number: "{{ match.number }}" }
      records: value
      id: docId
      number: docNumber
      etag: etag
    write:
      create:
        path: /docs
        body: '{ "doc": record }'
        id: result.docId
        number: result.docNumber
        record: result
        idempotencyHeader: Idempotency-Key
      update:
        path: /docs/{{ existing.id }}
        headers: { If-Match: "{{ existing.etag }}" }
        id: result.docId
      delete:
        path: /docs/{{ existing.id }}
    actions:
      post:
        description: Posts the document.
        path: /docs/{{ id }}/post
        id: result.docId
        number: result.docNumber
        done: status = 'Posted'
`)

describe('declared writes, finds and actions', () => {
  it('creates with the body template and reads id, number and record from the answer', async () => {
    const { app, docs } = remote()
    const { ctx, seen } = remoteContext(app)
    const stream = connector.streams.docs!
    expect(stream.operations).toEqual(['create', 'update', 'delete'])
    const req = { operation: 'create' as const, record: { number: 'A-1', amount: 5 }, idempotencyKey: 'k-1' }
    const result = await stream.write!(ctx, req)
    expect(result).toMatchObject({
      status: 'done',
      id: 'D1',
      number: 'INV-1001',
      record: { amount: 5, status: 'Draft' },
    })
    expect(JSON.parse(seen[0]!.body)).toEqual({ doc: { number: 'A-1', amount: 5 } })
    expect(seen[0]!.headers.get('idempotency-key')).toBe('k-1')
    // The same idempotency key again: the remote recognises it, nothing is created twice.
    await stream.write!(ctx, req)
    expect(docs.size).toBe(1)
    expect(result.status === 'done' && result.calls?.[0]).toMatchObject({
      method: 'POST',
      url: 'https://remote.test/docs',
      status: 201,
    })
  })

  it('finds by the match fields, updates with the found ETag, and deletes', async () => {
    const { app, docs } = remote()
    const { ctx } = remoteContext(app)
    const stream = connector.streams.docs!
    await stream.write!(ctx, { operation: 'create', record: { number: 'A-2' }, idempotencyKey: 'k-2' })
    expect(await stream.find!(ctx, { number: 'nope' })).toBeNull()
    const found = await stream.find!(ctx, { number: 'A-2' })
    expect(found).toMatchObject({ id: 'D1', number: 'INV-1001', etag: 'v1' })
    const updated = await stream.write!(ctx, {
      operation: 'update',
      record: { amount: 9 },
      existing: found!,
      idempotencyKey: 'k-2',
    })
    expect(updated).toMatchObject({ status: 'done', id: 'D1' })
    expect(docs.get('D1')!.amount).toBe(9)
    await expect(
      stream.write!(ctx, {
        operation: 'update',
        record: { amount: 1 },
        existing: found!,
        idempotencyKey: 'k-2',
      }),
    ).rejects.toMatchObject({ kind: 'conflict', status: 412 })
    await expect(
      stream.write!(ctx, { operation: 'update', record: { amount: 1 }, idempotencyKey: 'k-2' }),
    ).rejects.toMatchObject({ kind: 'config' })
    expect(
      await stream.write!(ctx, { operation: 'delete', record: {}, existing: found!, idempotencyKey: 'k-2' }),
    ).toMatchObject({ status: 'done', id: 'D1' })
    expect(docs.size).toBe(0)
  })

  it('runs an action and knows from a found record whether it already happened', async () => {
    const { app } = remote()
    const { ctx } = remoteContext(app)
    const stream = connector.streams.docs!
    const written = await stream.write!(ctx, {
      operation: 'create',
      record: { number: 'A-3' },
      idempotencyKey: 'k-3',
    })
    const post = stream.actions!.post!
    expect(post.isDone!((await stream.find!(ctx, { number: 'A-3' }))!)).toBe(false)
    const posted = await post.run(ctx, { id: written.status === 'done' ? written.id : '' })
    expect(posted).toMatchObject({ id: 'D1', number: 'PINV-INV-1001' })
    expect(post.isDone!((await stream.find!(ctx, { number: 'A-3' }))!)).toBe(true)
  })
})

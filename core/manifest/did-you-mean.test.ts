import { describe, expect, it } from 'vitest'
import { closestMatch, editDistance, expectedOneOf } from './did-you-mean.ts'

describe('did you mean', () => {
  it.each([
    ['craete', ['create', 'update', 'upsert'], 'create'],
    ['pageSize', ['pagesize', 'query'], 'pagesize'],
    ['scheduel', ['schedule', 'every', 'webhook'], 'schedule'],
    ['bussiness-central', ['basware', 'business-central', 'misa'], 'business-central'],
    ['xyz', ['create', 'update'], undefined],
    ['a', ['create'], undefined],
  ])('%s → %s', (word, candidates, expected) => {
    expect(closestMatch(word, candidates)).toBe(expected)
  })

  it('counts an adjacent swap as one edit', () => {
    expect(editDistance('craete', 'create')).toBe(1)
  })

  it('names the set and the suggestion', () => {
    expect(expectedOneOf('pots', ['post'])).toBe('; expected one of post (did you mean "post"?)')
    expect(expectedOneOf('x', [], 'readable streams:')).toBe('; readable streams: none')
  })
})

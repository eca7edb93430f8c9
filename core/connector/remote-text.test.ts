import { describe, expect, it } from 'vitest'
import { REMOTE_TEXT_LIMIT, remoteText } from './remote-text.ts'

describe('remoteText', () => {
  it.each([
    ['keeps plain words', 'Vendor 10000 is blocked.', 'Vendor 10000 is blocked.'],
    ['drops markup and scripts', '<html><script>steal()</script><h1>Bad</h1> request</html>', 'Bad request'],
    ['drops style blocks and comments', '<style>p{}</style><!-- x -->Oops', 'Oops'],
    ['collapses whitespace', 'a \n\n\t b', 'a b'],
    ['drops control and bidi-override characters', 'a\u0000b\u202Ec', 'a b c'],
    ['redacts credentials', 'refused: Bearer abc.def', 'refused: Bearer [redacted]'],
  ])('%s', (_, text, expected) => {
    expect(remoteText(text)).toBe(expected)
  })

  it('cuts long bodies to the limit', () => {
    const out = remoteText('x'.repeat(100_000))
    expect(out).toHaveLength(REMOTE_TEXT_LIMIT)
    expect(out.endsWith('…')).toBe(true)
  })

  it('redacts the connection’s own secrets', () => {
    expect(remoteText('echo s3cr3t-value back', ['s3cr3t-value'])).toBe('echo [redacted] back')
  })
})

import { describe, expect, it } from 'vitest'
import { createEgressPolicy } from './egress-policy.ts'
import { addressRefusal, urlRefusal } from './egress-refusal.ts'

const strict = createEgressPolicy()
const demo = createEgressPolicy({ allowLoopback: true })
const operator = createEgressPolicy({ allow: ['erp.corp.example', '*.intra.example', '10.20.0.0/16'] })

describe('urlRefusal', () => {
  const refused: [string, string, RegExp][] = [
    ['file URL', 'file:///etc/passwd', /scheme file:/],
    ['gopher URL', 'gopher://h.example:70/_x', /scheme gopher:/],
    ['javascript URL', 'javascript:alert(1)', /scheme javascript:/],
    ['data URL', 'data:text/plain,x', /scheme data:/],
    ['plain http to a public host', 'http://api.basware.com', /plain http/],
    ['metadata by address', 'https://169.254.169.254/latest/meta-data', /link-local/],
    ['metadata over http', 'http://169.254.169.254/latest', /plain http/],
    ['metadata by name', 'https://metadata.google.internal/computeMetadata', /metadata/],
    ['metadata as a decimal IP', 'https://2852039166/', /link-local/],
    ['metadata as hex', 'https://0xa9.0xfe.0xa9.0xfe/', /link-local/],
    ['metadata IPv4-mapped IPv6', 'https://[::ffff:169.254.169.254]/', /link-local/],
    ['metadata IPv4-mapped IPv6 in hex', 'https://[::ffff:a9fe:a9fe]/', /link-local/],
    ['private 10/8', 'https://10.0.0.1/', /private/],
    ['private 172.16/12', 'https://172.31.255.1/', /private/],
    ['private 192.168/16', 'https://192.168.1.1/', /private/],
    ['carrier-grade NAT', 'https://100.64.0.1/', /private/],
    ['unique-local IPv6', 'https://[fd00::1]/', /private/],
    ['link-local IPv6', 'https://[fe80::1]/', /link-local/],
    ['unspecified IPv4', 'https://0.0.0.0/', /unspecified/],
    ['unspecified IPv6', 'https://[::]/', /unspecified/],
    ['loopback', 'https://127.0.0.1/', /loopback/],
    ['loopback in octal', 'http://0177.0.0.1/', /loopback/],
    ['loopback as one decimal', 'http://2130706433/', /loopback/],
    ['localhost', 'http://localhost:4680/', /loopback/],
    ['a .localhost name', 'http://bc.sandbox.localhost/', /loopback/],
    ['IPv6 loopback', 'http://[::1]/', /loopback/],
    ['credentials in the URL', 'https://user:pw@api.basware.com/', /credentials/],
    ['not a URL', 'not a url', /not a valid URL/],
  ]
  it.each(refused)('refuses %s', (_, url, reason) => {
    expect(urlRefusal(strict, url)).toMatch(reason)
  })

  it.each([
    'https://api.businesscentral.dynamics.com/v2.0',
    'https://login.microsoftonline.com/tenant/oauth2/v2.0/token',
    'https://8.8.8.8/',
    'https://[2606:4700::1111]/',
  ])('lets %s through', (url) => {
    expect(urlRefusal(strict, url)).toBeUndefined()
  })

  it('lets loopback http through only where the deployment allows it', () => {
    expect(urlRefusal(demo, 'http://127.0.0.1:4681/bc')).toBeUndefined()
    expect(urlRefusal(demo, 'http://sandbox.localhost/bc')).toBeUndefined()
    expect(urlRefusal(demo, 'http://[::1]:80/')).toBeUndefined()
    // Loopback being allowed does not open the rest of the network.
    expect(urlRefusal(demo, 'http://10.0.0.1/')).toMatch(/plain http/)
    expect(urlRefusal(demo, 'https://169.254.169.254/')).toMatch(/link-local/)
  })

  it('lets the operator name private hosts and ranges (https only)', () => {
    expect(urlRefusal(operator, 'https://10.20.3.4/')).toBeUndefined()
    expect(urlRefusal(operator, 'https://[::ffff:10.20.3.4]/')).toBeUndefined()
    expect(urlRefusal(operator, 'https://10.21.0.1/')).toMatch(/private/)
    expect(urlRefusal(operator, 'http://10.20.3.4/')).toMatch(/plain http/)
  })
})

describe('addressRefusal (the connect-time check of resolved addresses)', () => {
  it.each([
    ['169.254.169.254', /link-local/],
    ['10.1.2.3', /private/],
    ['::ffff:127.0.0.1', /loopback/],
    ['fd12::1', /private/],
    ['0.0.0.0', /unspecified/],
  ])('refuses a name that resolves to %s', (address, reason) => {
    expect(addressRefusal(strict, 'rebind.example', address)).toMatch(reason)
  })

  it('allows public addresses, and private ones the operator named by host or range', () => {
    expect(addressRefusal(strict, 'api.basware.com', '52.1.2.3')).toBeUndefined()
    expect(addressRefusal(operator, 'erp.corp.example', '10.9.9.9')).toBeUndefined()
    expect(addressRefusal(operator, 'bc.intra.example', '192.168.0.5')).toBeUndefined()
    expect(addressRefusal(operator, 'other.example', '10.20.0.9')).toBeUndefined()
    expect(addressRefusal(operator, 'other.example', '10.9.9.9')).toMatch(/FERRY_EGRESS_ALLOW/)
  })
})

describe('createEgressPolicy', () => {
  it('refuses an allow-list entry it cannot read rather than ignoring it', () => {
    expect(() => createEgressPolicy({ allow: ['10.0.0.0/33'] })).toThrow(/prefix/)
    expect(() => createEgressPolicy({ allow: ['https://erp.example'] })).toThrow(/neither/)
  })
})

import { describe, expect, it } from 'vitest'
import { hostName, sameOrigin } from './same-origin'

const from = (headers: Record<string, string>) => sameOrigin(new Headers(headers))

describe('sameOrigin', () => {
  it('lets through a post from a page of the host it came to', () => {
    expect(from({ origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' })).toBe(true)
    expect(from({ origin: 'https://upshot.example.com', host: 'upshot.example.com' })).toBe(true)
    // the default port is not part of a URL's host
    expect(from({ origin: 'https://upshot.example.com:443', host: 'upshot.example.com' })).toBe(true)
  })

  it('refuses another site, another port, and an Origin that is not a URL', () => {
    expect(from({ origin: 'https://evil.example', host: 'upshot.example.com' })).toBe(false)
    expect(from({ origin: 'https://upshot.example.com.evil.example', host: 'upshot.example.com' })).toBe(false)
    expect(from({ origin: 'http://127.0.0.1:4000', host: '127.0.0.1:3000' })).toBe(false)
    // a sandboxed frame or a redirect across sites sends "null"
    expect(from({ origin: 'null', host: '127.0.0.1:3000' })).toBe(false)
    expect(from({ origin: 'not a url', host: '127.0.0.1:3000' })).toBe(false)
  })

  it('behind a reverse proxy, compares with the first X-Forwarded-Host, as Next does for server actions', () => {
    expect(
      from({ origin: 'https://upshot.example.com', host: '10.0.0.5:3000', 'x-forwarded-host': 'upshot.example.com' }),
    ).toBe(true)
    expect(
      from({
        origin: 'https://upshot.example.com',
        host: '10.0.0.5:3000',
        'x-forwarded-host': 'upshot.example.com, edge.internal',
      }),
    ).toBe(true)
    // the Host header alone no longer counts once a proxy has said where the request was sent
    expect(
      from({ origin: 'http://10.0.0.5:3000', host: '10.0.0.5:3000', 'x-forwarded-host': 'upshot.example.com' }),
    ).toBe(false)
  })

  it('refuses when there is no host to compare with, or the host is not one', () => {
    expect(from({ origin: 'https://upshot.example.com' })).toBe(false)
    expect(from({ origin: 'https://upshot.example.com', host: '' })).toBe(false)
  })

  it('without Origin, refuses only what the browser itself marks cross-site', () => {
    expect(from({ host: '127.0.0.1:3000' })).toBe(true)
    expect(from({ host: '127.0.0.1:3000', 'sec-fetch-site': 'same-origin' })).toBe(true)
    expect(from({ host: '127.0.0.1:3000', 'sec-fetch-site': 'cross-site' })).toBe(false)
  })
})

describe('hostName', () => {
  it('drops the port, keeps an IPv6 literal in brackets, lowercases', () => {
    expect(hostName('127.0.0.1:3000')).toBe('127.0.0.1')
    expect(hostName('[::1]:3000')).toBe('[::1]')
    expect(hostName('Upshot.Example.com')).toBe('upshot.example.com')
    expect(hostName('a:b:c')).toBeNull()
    expect(hostName(null)).toBeNull()
  })
})

import { describe, expect, it } from 'vitest'
import { safeNextPath } from './next-path'

describe('safeNextPath', () => {
  it('keeps a path on this site, with its query', () => {
    expect(safeNextPath('/delivery?teams=3&from=2026-01-05')).toBe('/delivery?teams=3&from=2026-01-05')
  })
  it.each([
    ['//evil.example/x'],
    ['https://evil.example/'],
    ['/\\evil.example'],
    ['javascript:alert(1)'],
    ['/sign-in?next=/x'],
    ['/api/report.pdf'],
    ['/x\nSet-Cookie: a=b'],
    [null],
    [42],
  ])('sends %j to the overview instead', (value) => {
    expect(safeNextPath(value)).toBe('/')
  })
})

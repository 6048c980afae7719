import { describe, expect, it } from 'vitest'
import { firstLine } from './render'

describe('render errors', () => {
  it('keep the first line, and never a snapshot page’s token', () => {
    const error = new Error(
      'page.goto: net::ERR_CONNECTION_REFUSED at http://127.0.0.1:3000/share/r12.1765100000.AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde\nCall log: …',
    )
    expect(firstLine(error)).toBe('page.goto: net::ERR_CONNECTION_REFUSED at http://127.0.0.1:3000/share/…')
  })
})

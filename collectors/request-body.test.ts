import { describe, expect, it } from 'vitest'
import { readBody } from './request-body'

/** A chunked request (no Content-Length) of `chunks` × `size` bytes. */
function chunked(chunks: number, size: number): Request {
  let sent = 0
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ === chunks) return controller.close()
      controller.enqueue(new Uint8Array(size).fill(97))
    },
  })
  return new Request('http://127.0.0.1/x', { method: 'POST', body, duplex: 'half' } as RequestInit)
}

describe('reading a request body with a cap', () => {
  it('reads a body within the cap: 3 chunks × 100 bytes = 300 ≤ 300', async () => {
    expect((await readBody(chunked(3, 100), 300))?.byteLength).toBe(300)
  })

  it('stops a chunked body with no Content-Length at the cap: 4 × 100 = 400 > 300', async () => {
    expect(await readBody(chunked(4, 100), 300)).toBeNull()
  })

  it('refuses a declared length over the cap without reading', async () => {
    const request = new Request('http://127.0.0.1/x', {
      method: 'POST',
      body: 'x'.repeat(10),
      headers: { 'content-length': '5000' },
    })
    expect(await readBody(request, 300)).toBeNull()
    expect(request.bodyUsed).toBe(false)
  })
})

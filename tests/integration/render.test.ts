// The one-pager renderer, in Chromium, against small servers on 127.0.0.1: the caller's credentials reach the
// app's own origin and nowhere else – not another origin the page asks for, not where a redirect points.
import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RenderError, renderReport } from '@/lib/export/render'

interface Recorded {
  url: string
  authorization?: string
  cookie?: string
}

async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const seen: Recorded[] = []
  const server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization, cookie: req.headers.cookie })
    handler(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

describe('renderReport and credentials', () => {
  let elsewhere: Awaited<ReturnType<typeof serve>>
  let app: Awaited<ReturnType<typeof serve>>
  const credentials = { authorization: 'Bearer upt_canary-render', cookie: 'upshot.session_token=canary' }

  beforeAll(async () => {
    elsewhere = await serve((_req, res) => res.end('<html><body>sign in here</body></html>'))
    app = await serve((req, res) => {
      if (req.url?.startsWith('/report-redirect')) {
        res.writeHead(302, { location: `${elsewhere.url}/sso?back=/report` })
        return void res.end()
      }
      // the report: ready only when the caller's credentials arrived; it also asks another origin for an image
      const ready = req.headers.authorization === credentials.authorization ? 'ready' : 'denied'
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end(
        `<html><body><div data-report-ready="${ready}" style="width:600px;height:400px">One-pager ${'x'.repeat(2000)}<img src="${elsewhere.url}/pixel.png"></div></body></html>`,
      )
    })
  })
  afterAll(async () => {
    await app?.close()
    await elsewhere?.close()
  })

  it('sends the credentials to the app, and nothing at all to another origin the page asks for', async () => {
    const png = await renderReport({ origin: app.url, path: '/report', format: 'png', credentials })
    expect(png.subarray(1, 4).toString()).toBe('PNG')
    expect(app.seen.find((request) => request.url === '/report')).toMatchObject(credentials)
    expect(elsewhere.seen).toEqual([])
  }, 60_000)

  it('refuses a redirect to another origin before following it: the credentials stay home', async () => {
    await expect(
      renderReport({ origin: app.url, path: '/report-redirect', format: 'pdf', credentials }),
    ).rejects.toThrow(RenderError)
    expect(elsewhere.seen).toEqual([])
  }, 60_000)
})

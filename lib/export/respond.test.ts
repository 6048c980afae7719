import { describe, expect, it } from 'vitest'
import { reportFile } from './respond'

describe('a report export with the renderer unavailable', () => {
  it('answers 503 with a message that says why, not a PDF', async () => {
    const response = await reportFile(new Request('http://127.0.0.1:9/api/report.pdf?paper=letter'), 'pdf', {
      executablePath: '/nonexistent/chromium',
    })
    expect(response.status).toBe(503)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    const body = (await response.json()) as { ok: boolean; message: string }
    expect(body.ok).toBe(false)
    expect(body.message).toMatch(/^The one-pager could not be rendered as PDF: the browser could not start/)
  })

  it('refuses a bad query by name before rendering anything', async () => {
    const response = await reportFile(new Request('http://127.0.0.1:9/api/report.pdf?paper=tabloid'), 'pdf', {
      executablePath: '/nonexistent/chromium',
    })
    expect(response.status).toBe(400)
    expect(((await response.json()) as { message: string }).message).toBe('paper must be a4 or letter')
  })
})

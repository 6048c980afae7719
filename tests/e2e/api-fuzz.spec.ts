// Every API input, fuzzed with fast-check against the built server: whatever arrives — wrong kinds, broken
// files, random JSON, random headers, random query strings — the answer is a 2xx or a 4xx with a message,
// never a 5xx. (The PDF and PNG renders themselves are not fuzzed: each takes a browser; their query
// parsing is.)
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { expect, test } from './fixtures'

const RUNS = 40
const anyJson = fc.jsonValue({ maxDepth: 4 })
const text = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.constantFrom(
    '',
    'roster',
    'repositories',
    'survey',
    'deployments',
    'incidents',
    'portal-usage',
    '../../etc/passwd',
    '%00',
    '=1+1',
  ),
)
const answered = (status: number) => status >= 200 && status < 500

test('fuzzing every API input gives a 2xx or a 4xx, never a 5xx', async ({ request, sql, engine }) => {
  test.setTimeout(180_000)
  const token = `upt_fuzz_${engine}_${Date.now()}`
  await sql`insert into api_tokens (name, token_hash, scopes) values ('fuzz', ${createHash('sha256').update(token).digest('hex')}, '{portal-events}')`
  const events = async () => (await sql<{ n: number }[]>`select count(*)::int as n from portal_events`)[0]?.n
  const before = await events()

  // CSV uploads: any kind, any bytes, checked only (a random file that imports would be a finding too)
  await fc.assert(
    fc.asyncProperty(
      text,
      fc.uint8Array({ maxLength: 400 }),
      fc.constantFrom('true', 'false', 'yes', ''),
      async (kind, bytes, dryRun) => {
        const response = await request.post('/api/imports', {
          multipart: { kind, dryRun, file: { name: 'fuzz.csv', mimeType: 'text/csv', buffer: Buffer.from(bytes) } },
        })
        expect(
          answered(response.status()),
          `POST /api/imports kind=${JSON.stringify(kind)} → ${response.status()}`,
        ).toBe(true)
      },
    ),
    { numRuns: RUNS, seed: 7 },
  )
  // and bodies that are not forms at all
  await fc.assert(
    fc.asyncProperty(
      fc.string({ maxLength: 200 }),
      fc.constantFrom('text/plain', 'multipart/form-data', 'multipart/form-data; boundary=x', 'application/json'),
      async (body, type) => {
        const response = await request.post('/api/imports', { data: body, headers: { 'content-type': type } })
        expect(answered(response.status()), `POST /api/imports (${type}) → ${response.status()}`).toBe(true)
      },
    ),
    { numRuns: RUNS, seed: 8 },
  )

  // portal events: any JSON, with and without a valid token
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        anyJson,
        fc.array(
          fc.record({
            action: text,
            subject: text,
            context: anyJson,
            timestamp: fc.oneof(fc.integer(), text),
            user: fc.oneof(text, anyJson),
          }),
          { maxLength: 5 },
        ),
      ),
      fc.boolean(),
      async (body, signed) => {
        const response = await request.post('/api/ingest/portal-events', {
          data: JSON.stringify(body),
          headers: { 'content-type': 'application/json', ...(signed ? { authorization: `Bearer ${token}` } : {}) },
        })
        expect(
          answered(response.status()),
          `POST /api/ingest/portal-events ${JSON.stringify(body).slice(0, 120)} → ${response.status()}`,
        ).toBe(true)
      },
    ),
    { numRuns: RUNS, seed: 9 },
  )

  // webhooks: any event name, delivery id, signature and body
  await fc.assert(
    fc.asyncProperty(
      text,
      fc.string({ maxLength: 40 }),
      fc.oneof(
        fc.string({ maxLength: 80 }),
        fc
          .string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 })
          .map((hex) => `sha256=${hex}`),
      ),
      anyJson,
      async (event, delivery, signature, body) => {
        const response = await request.post('/api/webhooks/github', {
          data: JSON.stringify(body),
          headers: {
            'content-type': 'application/json',
            'x-github-event': event.replace(/[^\x20-\x7e]/g, ''),
            'x-github-delivery': delivery.replace(/[^\x20-\x7e]/g, ''),
            'x-hub-signature-256': signature.replace(/[^\x20-\x7e]/g, ''),
          },
        })
        expect(answered(response.status()), `POST /api/webhooks/github → ${response.status()}`).toBe(true)
      },
    ),
    { numRuns: RUNS, seed: 10 },
  )

  // report exports: any query (the CSV answers in full; the PDF and PNG only when the query is wrong)
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(fc.nat({ max: 2_000_000_000 }).map(String), text),
      fc.oneof(fc.constantFrom('a4', 'letter'), text),
      async (initiative, paper) => {
        const query = new URLSearchParams({ initiative, paper })
        const csv = await request.get(`/api/report.csv?${query}`)
        expect(answered(csv.status()), `GET /api/report.csv?${query} → ${csv.status()}`).toBe(true)
        if (!/^\d{1,9}$/.test(initiative) || !['a4', 'letter'].includes(paper)) {
          for (const format of ['pdf', 'png']) {
            const file = await request.get(`/api/report.${format}?${query}`)
            expect(file.status(), `GET /api/report.${format}?${query}`).toBe(400)
          }
        }
      },
    ),
    { numRuns: RUNS, seed: 11 },
  )

  // sign-in's callbacks: any code and state, for a provider that exists or not
  await fc.assert(
    fc.asyncProperty(text, text, fc.constantFrom('oidc', 'github', 'nope'), async (code, state, provider) => {
      const back = await request.get(`/api/auth/callback/${provider}?${new URLSearchParams({ code, state })}`, {
        maxRedirects: 0,
      })
      expect(answered(back.status()), `GET /api/auth/callback/${provider} → ${back.status()}`).toBe(true)
    }),
    { numRuns: RUNS, seed: 13 },
  )

  // the pages' own query strings
  await fc.assert(
    fc.asyncProperty(
      fc.dictionary(
        fc.constantFrom(
          'teams',
          'group',
          'from',
          'to',
          'compareFrom',
          'compareTo',
          'initiative',
          'paper',
          'next',
          'error',
        ),
        text,
        { maxKeys: 4 },
      ),
      fc.constantFrom('/delivery', '/flow', '/onboarding', '/experience', '/adoption', '/report', '/sign-in'),
      async (params, path) => {
        const response = await request.get(`${path}?${new URLSearchParams(params)}`)
        expect(answered(response.status()), `GET ${path}?${new URLSearchParams(params)} → ${response.status()}`).toBe(
          true,
        )
      },
    ),
    { numRuns: RUNS, seed: 12 },
  )

  await sql`delete from api_tokens where name = 'fuzz'`
  expect(await events()).toBeGreaterThanOrEqual(before ?? 0)
})

test('pages and API answers carry the security headers, and no x-powered-by', async ({ request }) => {
  for (const path of ['/', '/report', '/sign-in', '/api/health', '/api/report.csv']) {
    const headers = (await request.get(path)).headers()
    expect(headers['content-security-policy'], path).toContain("frame-ancestors 'none'")
    expect(headers['x-frame-options'], path).toBe('DENY')
    expect(headers['x-content-type-options'], path).toBe('nosniff')
    expect(headers['referrer-policy'], path).toBe('strict-origin-when-cross-origin')
    expect(headers['strict-transport-security'], path).toMatch(/^max-age=\d+/)
    expect(headers['x-powered-by'], path).toBeUndefined()
  }
})

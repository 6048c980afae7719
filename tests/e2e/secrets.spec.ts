// No credential leaves the server: the web server, the build and the collectors run with canary credentials
// (tests/helpers/e2e-env.ts); collectors run with them against upstreams that fail in the ways that tend to
// echo a request (a 401, a refused connection), then every page, every response (headers and bodies), every
// line the server and the collectors logged, and every built client file is searched for them.
import { createHash, createHmac } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { canarySecrets, e2e, serverLog } from '@/tests/helpers/e2e-env'
import { root, runTs } from '@/tests/helpers/processes'
import { fakeRepository, startFakeGitHub } from '@/tests/fakes/github'
import { expect, test } from './fixtures'

test.describe.configure({ timeout: 180_000 })

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)]))
}

test('no credential appears in a page, a response, a log line or a built client file', async ({
  page,
  request,
  sql,
  engine,
}) => {
  const seen: { where: string; text: string }[] = []
  const secrets = Object.entries(canarySecrets)

  // 1. collectors holding the canary credentials, against an upstream that echoes the Authorization header in
  //    its errors: GitHub refuses one repository (401), PagerDuty and Backstage refuse everything
  const fake = await startFakeGitHub({
    echoCredentials: true,
    token: canarySecrets.GITHUB_TOKEN,
    repositories: [
      fakeRepository({ id: 1, name: 'payments', pullRequests: 20 }),
      fakeRepository({ id: 2, name: 'search', pullRequests: 5 }),
    ],
  })
  fake.faults.push({
    match: /\/search/,
    times: 1000,
    answer: {
      kind: 'status',
      status: 401,
      body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' },
    },
  })
  const sourcesFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'upshot-sources-')), 'sources.json')
  fs.writeFileSync(
    sourcesFile,
    JSON.stringify({
      github: {
        baseUrl: fake.url,
        auth: { tokenEnv: 'GITHUB_TOKEN' },
        organisation: 'acme',
        teams: false,
        repositories: [{ name: 'acme/payments' }, { name: 'acme/search' }],
      },
      pagerduty: { baseUrl: fake.url, tokenEnv: 'PAGERDUTY_TOKEN', services: [{ id: 'PABC123' }] },
      backstage: { baseUrl: fake.url, tokenEnv: 'BACKSTAGE_TOKEN' },
    }),
  )
  try {
    const database =
      engine === 'embedded' ? { UPSHOT_DATA_DIR: e2e.dataDir, DATABASE_URL: '' } : { DATABASE_URL: e2e.databaseUrl }
    const cli = runTs('collectors/run.ts', ['github', 'pagerduty', 'backstage'], {
      ...canarySecrets,
      ...database,
      UPSHOT_SOURCES: sourcesFile,
    })
    expect(await cli.exited).toBe(1)
    seen.push({ where: 'collector output', text: cli.output() })
    expect(cli.output()).toMatch(/github · acme: partial/)
    expect(cli.output()).toMatch(/acme\/search: .*401 Bad credentials .*\[redacted\]/)
  } finally {
    await fake.close()
  }
  const runs = await sql<
    { source: string; status: string }[]
  >`select distinct on (source) source, status from sync_runs where source in ('github', 'pagerduty', 'backstage') order by source, id desc`
  expect(runs).toEqual([
    { source: 'backstage', status: 'failed' },
    { source: 'github', status: 'partial' },
    { source: 'pagerduty', status: 'failed' },
  ])
  const stored = await sql<
    { text: string }[]
  >`select coalesce(string_agg(coalesce(error, '') || ' ' || coalesce(details::text, ''), ' '), '') as text from sync_runs`
  seen.push({ where: 'sync_runs', text: stored[0]?.text ?? '' })

  // 2. every page, with every response the browser receives while showing it
  page.on('response', async (response) => {
    const headers = JSON.stringify(await response.allHeaders())
    const body = await response.text().catch(() => '')
    seen.push({ where: `response ${response.url()}`, text: `${headers}\n${body}` })
  })
  // Data sources last: its run status is checked next
  for (const pathname of ['/', '/delivery', '/initiatives', '/roi', '/report', '/access', '/sources']) {
    await page.goto(pathname)
    await expect(page.locator('main h1')).toBeVisible()
    seen.push({ where: `page ${pathname}`, text: await page.content() })
  }
  await expect(page.getByTestId('last-status-github')).toHaveText('partial')

  // 3. the machine endpoints, refusing and accepting
  const body = JSON.stringify({ action: 'opened', pull_request: { number: 1 } })
  const sign = (secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
  const answers = [
    await request.get('/api/health'),
    await request.get('/api/report.csv'),
    await request.post('/api/webhooks/github', {
      data: body,
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'pull_request',
        'x-github-delivery': 'leak-1',
        'x-hub-signature-256': sign('wrong'),
      },
    }),
    await request.post('/api/webhooks/github', {
      data: body,
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'pull_request',
        'x-github-delivery': `leak-${engine}`,
        'x-hub-signature-256': sign(canarySecrets.GITHUB_WEBHOOK_SECRET),
      },
    }),
    await request.post('/api/ingest/portal-events', {
      data: [],
      headers: { authorization: `Bearer ${canarySecrets.BACKSTAGE_TOKEN}` },
    }),
  ]
  expect(answers.map((answer) => answer.status())).toEqual([200, 200, 401, 202, 401])
  // a working machine token, made the way `npm run collect -- token create` makes one
  const token = `upt_e2e_${engine}_${Date.now()}`
  await sql`insert into api_tokens (name, token_hash, scopes) values ('e2e', ${createHash('sha256').update(token).digest('hex')}, '{portal-events}')`
  const ingest = await request.post('/api/ingest/portal-events', {
    data: [
      {
        action: 'navigate',
        subject: '/docs',
        context: { pluginId: 'techdocs' },
        timestamp: '2026-11-23T10:00:00Z',
        user: 'user:default/leak-test',
      },
    ],
    headers: { authorization: `Bearer ${token}` },
  })
  expect(ingest.status()).toBe(200)
  answers.push(ingest)
  // sign-in's own answers (404 on the demo) and the sign-in page as nobody
  answers.push(
    await request.get('/api/auth/ok'),
    await request.get('/api/auth/callback/oidc?code=x&state=y', { maxRedirects: 0 }),
  )
  const nobody = await page
    .context()
    .browser()!
    .newContext({ baseURL: new URL(page.url()).origin, storageState: { cookies: [], origins: [] } })
  const signIn = await nobody.newPage()
  await signIn.goto('/sign-in')
  seen.push({ where: 'page /sign-in (nobody)', text: await signIn.content() })
  await nobody.close()
  for (const answer of answers)
    seen.push({
      where: `response ${answer.url()}`,
      text: `${JSON.stringify(answer.headers())}\n${await answer.text()}`,
    })
  const secretsWithToken = [...secrets, ['machine token', token] as const]

  // 4. what the web server logged, and 5. what the browser can download
  seen.push({
    where: 'server log',
    text: fs.existsSync(serverLog(engine)) ? fs.readFileSync(serverLog(engine), 'utf8') : '',
  })
  const clientFiles = filesUnder(path.join(root, '.next', 'static'))
  expect(clientFiles.length).toBeGreaterThan(10)
  for (const file of clientFiles) seen.push({ where: path.relative(root, file), text: fs.readFileSync(file, 'latin1') })

  const leaks = seen.flatMap(({ where, text }) =>
    secretsWithToken.filter(([, value]) => text.includes(value)).map(([name]) => `${name} in ${where}`),
  )
  expect(leaks).toEqual([])
  expect(seen.length).toBeGreaterThan(clientFiles.length + 8)
})

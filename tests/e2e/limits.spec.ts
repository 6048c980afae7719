// Each door's own body limit is the one that applies, on the built server: a signed 12 MB GitHub webhook is
// queued whole and a 19 MB CSV is checked whole (nothing in front of them cuts a body at 10 MB), while a
// webhook above 25 MB and a CSV above 20 MB get 413. And a server action posted from another site is
// refused with 403, not the 500 Next answers by itself.
import { createHmac } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { canarySecrets } from '@/tests/helpers/e2e-env'
import { root } from '@/tests/helpers/processes'
import { expect, test } from './fixtures'

const MiB = 1024 * 1024

/**
 * A pull_request "opened" delivery as GitHub sends it (the fields Upshot reads and a few it does not), from
 * Dependabot, whose release notes make long bodies, padded to at least `bytes`. The repository is not one
 * the sources file names, so the PR belongs to no team and moves no dashboard figure.
 */
function pullRequestDelivery(bytes: number, number: number): { body: string; notes: string } {
  const payload = (notes: string) => ({
    action: 'opened',
    number,
    pull_request: {
      node_id: `PR_limits_${number}`,
      number,
      title: 'Bump the npm-dependencies group across 1 directory with 412 updates',
      body: notes,
      state: 'open',
      draft: false,
      user: { login: 'dependabot[bot]', type: 'Bot' },
      created_at: '2021-03-01T09:00:00Z',
      updated_at: '2021-03-01T09:00:00Z',
      closed_at: null,
      merged_at: null,
      merge_commit_sha: null,
      head: { ref: `dependabot/npm_and_yarn/npm-dependencies-${number}` },
      base: { ref: 'main' },
      additions: 4120,
      deletions: 3980,
      changed_files: 2,
      commits: 1,
    },
    repository: {
      id: 990_001,
      node_id: 'R_limits_e2e',
      name: 'limits-e2e',
      full_name: 'acme/limits-e2e',
      owner: { login: 'acme' },
      default_branch: 'main',
      archived: false,
      created_at: '2020-06-01T00:00:00Z',
    },
    sender: { login: 'dependabot[bot]', type: 'Bot' },
  })
  const empty = JSON.stringify(payload('')).length
  const note =
    '| [left-pad](https://github.com/left-pad/left-pad) | `1.2.0` | `1.3.0` | Release notes and commits, see the changelog |\n'
  const noteBytes = JSON.stringify(note).length - 2
  const notes = note.repeat(Math.ceil((bytes - empty) / noteBytes))
  return { body: JSON.stringify(payload(notes)), notes }
}

const sign = (body: string) =>
  `sha256=${createHmac('sha256', canarySecrets.GITHUB_WEBHOOK_SECRET).update(body).digest('hex')}`

test('a signed 12 MB GitHub webhook is queued whole; one above 25 MB gets 413', async ({ request, sql, engine }) => {
  test.setTimeout(180_000)
  const delivery = `limits-${engine}-${Date.now()}`
  const { body, notes } = pullRequestDelivery(12 * MiB, Date.now() % 1_000_000)
  expect(body.length).toBeGreaterThanOrEqual(12 * MiB)
  const queued = await request.post('/api/webhooks/github', {
    data: body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'pull_request',
      'x-github-delivery': delivery,
      'x-hub-signature-256': sign(body),
    },
    timeout: 120_000,
  })
  expect(queued.status(), await queued.text()).toBe(202)
  expect(await queued.json()).toEqual({ ok: true, message: 'queued' })
  // every byte arrived: the stored payload holds the whole body
  const [stored] = await sql<
    { notes: number }[]
  >`select length(payload->'pull_request'->>'body')::int as notes from webhook_deliveries where delivery_id = ${delivery}`
  expect(stored?.notes).toBe(notes.length)
  // and it is a delivery Upshot can use: processed after the answer, without an error
  await expect
    .poll(
      async () =>
        (
          await sql<
            { processed: boolean; error: string | null }[]
          >`select processed_at is not null as processed, error from webhook_deliveries where delivery_id = ${delivery}`
        )[0],
      { timeout: 60_000 },
    )
    .toEqual({ processed: true, error: null })

  const huge = pullRequestDelivery(26 * MiB, 1).body
  const refused = await request.post('/api/webhooks/github', {
    data: huge,
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'pull_request',
      'x-github-delivery': `${delivery}-huge`,
      'x-hub-signature-256': sign(huge),
    },
    timeout: 120_000,
  })
  expect(refused.status()).toBe(413)
  expect(await refused.json()).toEqual({ ok: false, message: 'The body is larger than GitHub sends (25 MB).' })
  expect(await sql`select 1 from webhook_deliveries where delivery_id = ${`${delivery}-huge`}`).toHaveLength(0)
})

/** A portal-usage CSV of at least `bytes`: techdocs searches with long queries. */
function portalUsageCsv(bytes: number, prefix: string): { csv: Buffer; rows: number } {
  const query = 'how do I roll back a payments deploy when the canary fails '.repeat(30).trim()
  const row = (i: number) =>
    `${prefix}-${i},2021-03-01T10:00:00Z,user:default/limits-e2e,search,/docs/search?query=${query}&page=${i},techdocs\n`
  const header = 'id,timestamp,user,action,subject,plugin\n'
  const lines: string[] = [header]
  let size = header.length
  while (size < bytes) {
    const line = row(lines.length)
    lines.push(line)
    size += line.length
  }
  return { csv: Buffer.from(lines.join('')), rows: lines.length - 1 }
}

test('a 19 MB CSV is checked whole (dry run); one above 20 MB gets 413', async ({ request, sql, engine }) => {
  test.setTimeout(240_000)
  const prefix = `limits-${engine}-${Date.now()}`
  const events = async () =>
    (await sql<{ n: number }[]>`select count(*)::int as n from portal_events where event_id like ${`${prefix}%`}`)[0]?.n
  const { csv, rows } = portalUsageCsv(19 * MiB, prefix)
  const checked = await request.post('/api/imports', {
    multipart: { kind: 'portal-usage', dryRun: 'true', file: { name: 'usage.csv', mimeType: 'text/csv', buffer: csv } },
    timeout: 180_000,
  })
  expect(checked.status(), (await checked.text()).slice(0, 500)).toBe(200)
  const { ok, report } = (await checked.json()) as {
    ok: boolean
    report: { dryRun: boolean; rows: number; inserted: number; rejected: number; problems: unknown[] }
  }
  expect({
    ok,
    dryRun: report.dryRun,
    rows: report.rows,
    inserted: report.inserted,
    rejected: report.rejected,
    problems: report.problems,
  }).toEqual({
    ok: true,
    dryRun: true,
    rows,
    inserted: rows,
    rejected: 0,
    problems: [],
  })
  expect(await events()).toBe(0) // a dry run writes nothing

  const { csv: huge } = portalUsageCsv(21 * MiB, prefix)
  const refused = await request.post('/api/imports', {
    multipart: {
      kind: 'portal-usage',
      dryRun: 'true',
      file: { name: 'usage.csv', mimeType: 'text/csv', buffer: huge },
    },
    timeout: 120_000,
  })
  expect(refused.status()).toBe(413)
  expect(await refused.json()).toEqual({ ok: false, message: 'The file is larger than 20 MB; split it.' })
})

/** A server action of the build and the page it is posted to, from the build's own manifest. */
function builtAction(name: string): { id: string; page: string } {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(root, '.next', 'server', 'server-reference-manifest.json'), 'utf8'),
  ) as {
    node: Record<string, { exportedName: string; workers: Record<string, unknown> }>
  }
  const found = Object.entries(manifest.node).find(([, entry]) => entry.exportedName === name)
  if (!found) throw new Error(`the build has no server action ${name}`)
  const worker = Object.keys(found[1].workers)[0] ?? ''
  // "app/(dashboard)/milestones/page" → "/milestones"
  return {
    id: found[0],
    page:
      worker
        .replace(/^app/, '')
        .replace(/\/\([^)]+\)/g, '')
        .replace(/\/page$/, '') || '/',
  }
}

test('a server action posted from another site is refused with 403 and changes nothing', async ({
  request,
  sql,
  baseURL,
}) => {
  const action = builtAction('saveMilestoneAction')
  const milestones = async () => (await sql<{ n: number }[]>`select count(*)::int as n from milestones`)[0]?.n
  const before = await milestones()
  const form = [
    null,
    { values: {}, errors: {}, message: null },
    { kind: 'launch', occurred_on: '2026-01-05', name: 'forged from evil.example' },
  ]
  const post = (headers: Record<string, string>, actionId = action.id) =>
    request.post(action.page, {
      headers: { 'next-action': actionId, 'content-type': 'text/plain;charset=UTF-8', ...headers },
      data: JSON.stringify(form),
      maxRedirects: 0,
    })

  const forged = await post({ origin: 'https://evil.example' })
  expect(forged.status()).toBe(403)
  expect(await forged.text()).toContain('came from another site')
  // a form posted without JavaScript (multipart, no Next-Action header) is refused the same way
  const multipart = await request.post(action.page, {
    headers: { origin: 'https://evil.example' },
    multipart: { kind: 'launch', occurred_on: '2026-01-05', name: 'forged' },
    maxRedirects: 0,
  })
  expect(multipart.status()).toBe(403)
  // "null": a sandboxed frame on any site
  expect((await post({ origin: 'null' })).status()).toBe(403)
  expect(await milestones()).toBe(before)

  // not over-blocking: this site's own origin, and a public host named by a reverse proxy in front, reach Next
  // (which answers an action it does not know with 409, "Server Action unavailable")
  const unknown = 'ff'.repeat(21)
  expect((await post({ origin: new URL(baseURL!).origin }, unknown)).status()).toBe(409)
  expect(
    (await post({ origin: 'https://upshot.example.com', 'x-forwarded-host': 'upshot.example.com' }, unknown)).status(),
  ).toBe(409)
})

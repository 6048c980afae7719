// An organisation fed by CSV only (roster, repositories, pull requests, deployments with commit SHAs,
// services): lead time, flow phases, days to first merged PR and the scaffolding comparison equal an
// independent computation from the files' own values, to the second, whatever order the files come in; bad
// files of the new kinds get line-and-column errors and write nothing.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatProblem, importCsv } from '@/collectors/csv/import'
import type { ImportKind } from '@/collectors/csv/kinds'
import { listCatalog } from '@/db/queries/adoption'
import { listHires } from '@/db/queries/onboarding'
import { upsertPullRequests, upsertRepository } from '@/db/queries/delivery'
import { linkLatePullRequests } from '@/db/queries/deployment-links'
import { checkRollups } from '@/db/queries/rollups'
import { serviceCreation } from '@/lib/metrics/adoption'
import { collectedFacts } from '@/tests/helpers/collected'
import { engine, freshDatabase, type TestDatabase } from '@/tests/helpers/database'

const TODAY = '2026-11-24'
const file = (name: string) => fs.readFileSync(path.join(import.meta.dirname, '../fixtures/csv/lead-time', name))

/** The fixture's rows as objects, by column (the fixtures have no quoted cells). */
function rowsOf(name: string): Record<string, string>[] {
  const [header, ...lines] = file(name).toString('utf8').trim().split('\n')
  const columns = (header as string).split(',')
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [columns[i] as string, cell])))
}
const time = (value: string) => new Date(value).getTime()
const HOUR_MS = 3_600_000
const hours = (to: string, from: string) => (time(to) - time(from)) / HOUR_MS
/** Rounded to the second, as "to the second" is meant: a stored double against one computed here. */
const seconds = (values: number[]) => values.map((value) => Math.round(value * 3600)).sort((a, b) => a - b)
const monday = (value: string) => {
  const day = new Date(value)
  day.setUTCHours(0, 0, 0, 0)
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7))
  return day.toISOString().slice(0, 10)
}

/**
 * The SHA rule written out again, apart from the SQL (docs/metrics.md): in finish order, a successful
 * production deployment ships the merged pull request whose merge commit or head its SHA names (a prefix of
 * 7 or more counts); the repository's first such one ships that alone, a later one every pull request merged
 * after the last one shipped up to its own, one of a pull request merged no later than that nothing.
 */
function expectedLinks() {
  const prs = rowsOf('pull-requests.csv').filter((pr) => pr.merged_at)
  const names = (sha: string, commit: string | undefined) =>
    !!commit &&
    (commit.toLowerCase().startsWith(sha.toLowerCase()) || sha.toLowerCase().startsWith(commit.toLowerCase()))
  const deployments = rowsOf('deployments.csv')
    .filter((d) => d.environment === 'production' && d.status === 'success')
    .sort((a, b) => time(a.finished_at as string) - time(b.finished_at as string))
  const until = new Map<string, number>()
  const links: { deployment: Record<string, string>; pr: Record<string, string> }[] = []
  for (const deployment of deployments) {
    const repository = deployment.repository as string
    const match = prs
      .filter((pr) => pr.repository === repository)
      .find(
        (pr) =>
          names(deployment.commit_sha as string, pr.merge_commit_sha) ||
          names(deployment.commit_sha as string, pr.head_sha),
      )
    if (!match) continue
    const mergedAt = time(match.merged_at as string)
    const shippedUntil = until.get(repository)
    if (shippedUntil === undefined) links.push({ deployment, pr: match })
    else
      for (const pr of prs)
        if (
          pr.repository === repository &&
          time(pr.merged_at as string) > shippedUntil &&
          time(pr.merged_at as string) <= mergedAt
        )
          links.push({ deployment, pr })
    until.set(repository, Math.max(shippedUntil ?? mergedAt, mergedAt))
  }
  return links
}

const teamOfRepository: Record<string, string> = { 'acme-gl/checkout': 'payments', 'acme-gl/search': 'search' }

/** Per team and week: lead times (deployment's team, its week) and flow phases (pull request's team, merge week). */
function expectedRollups() {
  const links = expectedLinks()
  const firstDeploy = new Map<string, string>()
  for (const { deployment, pr } of links) {
    const key = `${pr.repository}#${pr.id}`
    const earlier = firstDeploy.get(key)
    if (!earlier || time(deployment.finished_at as string) < time(earlier))
      firstDeploy.set(key, deployment.finished_at as string)
  }
  const weeks = new Map<string, Record<string, number[]>>()
  const at = (team: string, week: string) => {
    const key = `${team}|${week}`
    const found = weeks.get(key) ?? { lead: [], coding: [], pickup: [], review: [], deploy: [], cycle: [], merged: [] }
    weeks.set(key, found)
    return found
  }
  for (const pr of rowsOf('pull-requests.csv')) {
    const deployed = firstDeploy.get(`${pr.repository}#${pr.id}`)
    const start = pr.first_commit_at || (pr.created_at as string)
    // every author in the fixture is (or is not) in the repository's team: the two attributions agree
    const team = teamOfRepository[pr.repository as string] as string
    if (deployed) at(team, monday(deployed)).lead?.push(hours(deployed, start))
    if (!pr.merged_at) continue
    const week = at(team, monday(pr.merged_at))
    week.merged?.push(1)
    if (pr.first_commit_at) week.coding?.push(Math.max(0, hours(pr.created_at as string, pr.first_commit_at)))
    if (pr.first_review_at) {
      week.pickup?.push(Math.max(0, hours(pr.first_review_at, pr.created_at as string)))
      week.review?.push(Math.max(0, hours(pr.merged_at, pr.first_review_at)))
    }
    if (deployed) {
      week.deploy?.push(Math.max(0, hours(deployed, pr.merged_at)))
      week.cycle?.push(Math.max(0, hours(deployed, start)))
    }
  }
  return Object.fromEntries(
    [...weeks].map(([key, values]) => [
      key,
      {
        merged: values.merged?.length,
        lead: seconds(values.lead ?? []),
        coding: seconds(values.coding ?? []),
        pickup: seconds(values.pickup ?? []),
        review: seconds(values.review ?? []),
        deploy: seconds(values.deploy ?? []),
        cycle: seconds(values.cycle ?? []),
      },
    ]),
  )
}

async function storedRollups(database: TestDatabase) {
  const rows = await database.connection.sql<
    {
      key: string
      merged: number
      lead: number[]
      coding: number[]
      pickup: number[]
      review: number[]
      deploy: number[]
      cycle: number[]
    }[]
  >`select t.slug || '|' || r.week_start::text as key, r.merged_pull_requests as merged, r.lead_time_hours as lead, r.coding_hours as coding,
      r.pickup_hours as pickup, r.review_hours as review, r.deploy_hours as deploy, r.cycle_hours as cycle
    from rollups_team_weeks r join teams t on t.id = r.team_id
    where r.merged_pull_requests > 0 or cardinality(r.lead_time_hours) > 0
    order by 1`
  return Object.fromEntries(
    rows.map((row) => [
      row.key,
      {
        merged: row.merged,
        lead: seconds(row.lead.map(Number)),
        coding: seconds(row.coding.map(Number)),
        pickup: seconds(row.pickup.map(Number)),
        review: seconds(row.review.map(Number)),
        deploy: seconds(row.deploy.map(Number)),
        cycle: seconds(row.cycle.map(Number)),
      },
    ]),
  )
}

const shipped = (database: TestDatabase) =>
  database.connection.sql<{ deployment: string; pr: number }[]>`
    select d.external_id as deployment, p.number as pr from deployment_pull_requests dp
    join deployments d on d.id = dp.deployment_id join pull_requests p on p.id = dp.pull_request_id order by 1, 2`

describe(`an organisation fed by CSV only (${engine})`, () => {
  let forward: TestDatabase
  let backward: TestDatabase
  const run = (
    database: TestDatabase,
    kind: ImportKind,
    name: string,
    bytes: Uint8Array = file(name),
    dryRun = false,
  ) => importCsv(database.connection.db, { kind, file: name, bytes, dryRun, today: TODAY })
  beforeAll(async () => {
    forward = await freshDatabase('csv_lead_forward')
    backward = await freshDatabase('csv_lead_backward')
    // the same files, pull requests before deployments in one, after them in the other
    for (const kind of ['roster', 'repositories', 'pull-requests', 'deployments'] as const)
      expect((await run(forward, kind, `${kind}.csv`)).problems).toEqual([])
    for (const kind of ['roster', 'repositories', 'deployments', 'pull-requests'] as const)
      expect((await run(backward, kind, `${kind}.csv`)).problems).toEqual([])
  }, 120_000)
  afterAll(async () => {
    await forward?.close()
    await backward?.close()
  })

  it('each deployment ships what its commit SHA names: the first of a repository its own pull request, a later one everything merged since, a redeploy nothing', async () => {
    const expected = expectedLinks().map(({ deployment, pr }) => ({ deployment: deployment.id, pr: Number(pr.id) }))
    expect(expected).toEqual([
      { deployment: 'gl-d1', pr: 1 },
      { deployment: 'gl-d2', pr: 2 },
      { deployment: 'gl-d2', pr: 3 },
      { deployment: 'gl-d5', pr: 4 },
      { deployment: 'gl-d8', pr: 6 },
    ])
    expect(await shipped(forward)).toEqual(expected)
  })

  it('importing deployments before pull requests gives the same links, facts and rollups', async () => {
    expect(await shipped(backward)).toEqual(await shipped(forward))
    const [a, b] = [await collectedFacts(forward.connection.sql), await collectedFacts(backward.connection.sql)]
    expect(b).toEqual(a)
  })

  it('pull requests a sync writes after the deployments file link them as the file would', async () => {
    const synced = await freshDatabase('csv_lead_synced')
    try {
      for (const kind of ['roster', 'repositories', 'deployments'] as const)
        expect((await run(synced, kind, `${kind}.csv`)).problems).toEqual([])
      const repositories = new Map(
        (
          await synced.connection.sql<{ id: number; full_name: string }[]>`select id::int, full_name from repositories`
        ).map((row) => [row.full_name, row.id]),
      )
      // as a collector's page: upserted under its provider, then linkLatePullRequests in the same transaction
      await synced.connection.db.transaction(async (tx) => {
        const rows = rowsOf('pull-requests.csv').map((row) => ({
          provider: 'gitlab',
          externalId: `gl-${row.repository}-${row.id}`,
          repositoryId: repositories.get(row.repository ?? '') as number,
          number: Number(row.id),
          state: row.merged_at ? ('merged' as const) : ('open' as const),
          openedAt: new Date(row.created_at ?? ''),
          mergedAt: row.merged_at ? new Date(row.merged_at) : null,
          // as an upstream sends them: lower case (the file's kind lowers them too)
          mergeCommitSha: row.merge_commit_sha?.toLowerCase() || null,
          headSha: row.head_sha?.toLowerCase() || null,
        }))
        const written = await upsertPullRequests(tx, rows)
        await linkLatePullRequests(tx, { pullRequestIds: [...written.ids.values()] })
      })
      expect(await shipped(synced)).toEqual(await shipped(backward))
    } finally {
      await synced.close()
    }
  })

  it('a deployment naming only a service is in the service’s repository, and ships by commit like the others', async () => {
    const byService = await freshDatabase('csv_lead_by_service')
    try {
      for (const kind of ['roster', 'repositories', 'pull-requests'] as const)
        expect((await run(byService, kind, `${kind}.csv`)).problems).toEqual([])
      const sql = byService.connection.sql
      // the catalog knows which repository the service lives in
      await sql`insert into services (entity_ref, name, repository_id)
        select 'component:default/checkout-api', 'checkout-api', id from repositories where full_name = 'acme-gl/checkout'`
      const file = `id,service,environment,status,started_at,finished_at,commit_sha
svc-d1,component:default/checkout-api,production,success,2026-03-03T15:40:00Z,2026-03-03T16:00:00Z,aaaaaaa1
`
      expect((await run(byService, 'deployments', 'by-service.csv', Buffer.from(file))).problems).toEqual([])
      expect(await shipped(byService)).toEqual([{ deployment: 'svc-d1', pr: 1 }])
    } finally {
      await byService.close()
    }
  })

  it('a sync after the files adopts their repository and pull request rows: no second row, no clash', async () => {
    const adopted = await freshDatabase('csv_lead_adopted')
    try {
      for (const kind of ['roster', 'repositories', 'pull-requests'] as const)
        expect((await run(adopted, kind, `${kind}.csv`)).problems).toEqual([])
      const sql = adopted.connection.sql
      const [before] = await sql<
        { id: number }[]
      >`select id::int from repositories where full_name = 'acme-gl/checkout'`
      const prs = await sql<{ n: number }[]>`select count(*)::int as n from pull_requests`
      // GitLab's project 4711 is the file's acme-gl/checkout; its merge request !1 is the file's #1
      const { id } = await upsertRepository(adopted.connection.db, {
        provider: 'gitlab',
        externalId: '4711',
        owner: 'acme-gl',
        name: 'checkout',
        fullName: 'acme-gl/checkout',
      })
      expect(id).toBe(before?.id)
      await upsertPullRequests(adopted.connection.db, [
        {
          provider: 'gitlab',
          externalId: '90001',
          repositoryId: id,
          number: 1,
          state: 'merged',
          openedAt: new Date('2026-03-03T09:00:00Z'),
          mergedAt: new Date('2026-03-03T14:00:00Z'),
        },
      ])
      expect(await sql`select count(*)::int as n from repositories where full_name = 'acme-gl/checkout'`).toEqual([
        { n: 1 },
      ])
      expect(await sql`select count(*)::int as n from pull_requests`).toEqual(prs)
      expect(
        await sql`select provider, external_id from pull_requests where repository_id = ${id} and number = 1`,
      ).toEqual([{ provider: 'gitlab', external_id: '90001' }])
    } finally {
      await adopted.close()
    }
  })

  it('lead time and flow phases per team-week equal a computation from the files, to the second, and the rollups equal a recomputation', async () => {
    const expected = expectedRollups()
    // 25 h = 3 Mar 16:00 − 2 Mar 15:00 (first commit); 52 h = 6 Mar 12:00 − 4 Mar 08:00; 26 h = 6 Mar 12:00 − 5 Mar 10:00 (opened: no first commit)
    expect(expected['payments|2026-03-02']?.lead).toEqual(seconds([25, 26, 52]))
    expect(await storedRollups(forward)).toEqual(expected)
    expect(await storedRollups(backward)).toEqual(expected)
    for (const database of [forward, backward])
      expect((await checkRollups(database.connection.db)).differences).toEqual([])
  })

  it('authors are found by login (any case) or e-mail; the team is theirs on the opening day, else the repository’s', async () => {
    expect(
      await forward.connection.sql`
        select p.number, p.author_login, a.login as person, t.slug as team, p.state, p.closed_at = p.merged_at as closed_on_merge, p.head_sha
        from pull_requests p left join people a on a.id = p.author_person_id left join teams t on t.id = p.team_id order by p.number`,
    ).toEqual([
      {
        number: 1,
        author_login: 'ada',
        person: 'ada',
        team: 'payments',
        state: 'merged',
        closed_on_merge: true,
        head_sha: 'a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1',
      },
      {
        number: 2,
        author_login: 'ben',
        person: 'ben',
        team: 'payments',
        state: 'merged',
        closed_on_merge: true,
        head_sha: null,
      },
      {
        number: 3,
        author_login: 'ben',
        person: 'ben',
        team: 'payments',
        state: 'merged',
        closed_on_merge: true,
        head_sha: 'ccccccc333333333333333333333333333333333',
      },
      {
        number: 4,
        author_login: 'ada',
        person: 'ada',
        team: 'payments',
        state: 'merged',
        closed_on_merge: true,
        head_sha: null,
      },
      {
        number: 5,
        author_login: 'ext-contractor',
        person: null,
        team: 'payments',
        state: 'open',
        closed_on_merge: null,
        head_sha: null,
      },
      {
        number: 6,
        author_login: 'chen',
        person: 'chen',
        team: 'search',
        state: 'merged',
        closed_on_merge: true,
        head_sha: null,
      },
      {
        number: 7,
        author_login: 'chen',
        person: 'chen',
        team: 'search',
        state: 'closed',
        closed_on_merge: null,
        head_sha: null,
      },
    ])
  })

  it('days to first merged pull request: from the roster’s start date to the file’s merge', async () => {
    const hires = await listHires(forward.connection.db, {
      from: new Date('2026-01-01T00:00:00Z'),
      to: new Date('2026-04-01T00:00:00Z'),
    })
    const logins = new Map(
      (await forward.connection.sql<{ id: number; login: string }[]>`select id::int, login from people`).map((p) => [
        p.id,
        p.login,
      ]),
    )
    const days = hires.map((hire) => ({
      login: logins.get(hire.personId),
      days: ((hire.mergedAt[0]?.getTime() ?? Number.NaN) - hire.startDate.getTime()) / 86_400_000,
    }))
    const prs = rowsOf('pull-requests.csv')
    const firstMerge = (emails: string[]) =>
      Math.min(
        ...prs
          .filter((pr) => pr.merged_at && emails.includes((pr.author as string).toLowerCase()))
          .map((pr) => time(pr.merged_at as string)),
      )
    // ada: 3 Mar 00:00 → 3 Mar 14:00 = 0.583 days; chen: 9 Mar 00:00 → 10 Mar 15:00 = 1.625 days (ben started before the data)
    expect(days).toEqual([
      { login: 'ada', days: (firstMerge(['ada', 'ada@acme.example']) - time('2026-03-03T00:00:00Z')) / 86_400_000 },
      { login: 'chen', days: (firstMerge(['chen', 'chen@acme.example']) - time('2026-03-09T00:00:00Z')) / 86_400_000 },
    ])
    expect(days.map((d) => d.days)).toEqual([14 / 24, 1 + 15 / 24])
  })

  it('importing the same files again changes nothing', async () => {
    const before = await collectedFacts(forward.connection.sql)
    for (const kind of ['pull-requests', 'deployments'] as const)
      expect(await run(forward, kind, `${kind}.csv`)).toMatchObject({ inserted: 0, updated: 0, rejected: 0 })
    expect(await collectedFacts(forward.connection.sql)).toEqual(before)
  })

  it('a deployment moved to another repository: both repositories are worked out again, and moving it back restores the links', async () => {
    const original = await shipped(forward)
    // a file of that one deployment: nothing else in it names the repository it leaves
    const [header, ...lines] = file('deployments.csv').toString('utf8').split('\n')
    const moved = `${header}\n${lines.find((line) => line.startsWith('gl-d2,'))?.replace('acme-gl/checkout', 'acme-gl/search')}\n`
    expect(await run(forward, 'deployments', 'moved.csv', Buffer.from(moved))).toMatchObject({ updated: 1 })
    // checkout without gl-d2: gl-d5 ships everything merged after #1 up to its own #4
    expect((await shipped(forward)).filter((row) => row.deployment !== 'gl-d8')).toEqual([
      { deployment: 'gl-d1', pr: 1 },
      { deployment: 'gl-d5', pr: 2 },
      { deployment: 'gl-d5', pr: 3 },
      { deployment: 'gl-d5', pr: 4 },
    ])
    expect(await run(forward, 'deployments', 'deployments.csv')).toMatchObject({ updated: 1 })
    expect(await shipped(forward)).toEqual(original)
    expect((await checkRollups(forward.connection.db)).differences).toEqual([])
  })

  it('a pull request that arrives late is shipped by the deployment of its commit; one changed later moves its link', async () => {
    // a deployment of a commit no pull request had: gl-d7 (1234567) ships #8 and what merged since #4
    const late =
      'id,repository,author,created_at,merged_at,merge_commit_sha\n8,acme-gl/checkout,ada,2026-03-09T16:00:00Z,2026-03-10T09:00:00Z,1234567890abcdef1234567890abcdef12345678\n'
    expect(await run(forward, 'pull-requests', 'late.csv', Buffer.from(late))).toMatchObject({ inserted: 1 })
    expect((await shipped(forward)).filter((row) => row.deployment === 'gl-d7')).toEqual([
      { deployment: 'gl-d7', pr: 8 },
    ])
    // its merge commit corrected to one never deployed: the link goes again
    const corrected = late.replace('1234567890abcdef', 'fedcba0987654321')
    expect(await run(forward, 'pull-requests', 'late.csv', Buffer.from(corrected))).toMatchObject({ updated: 1 })
    expect((await shipped(forward)).filter((row) => row.deployment === 'gl-d7')).toEqual([])
    expect((await checkRollups(forward.connection.db)).differences).toEqual([])
  })

  it('services: the manual baseline and template runs give the scaffolding comparison, request → live, from the file', async () => {
    const dry = await run(forward, 'services', 'services.csv', file('services.csv'), true)
    expect(dry).toMatchObject({ inserted: 6, rejected: 0 })
    expect(await run(forward, 'services', 'services.csv')).toMatchObject({ inserted: 6, updated: 0 })
    expect(await run(forward, 'services', 'services.csv')).toMatchObject({ inserted: 0, updated: 0, unchanged: 6 })
    const interval = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z') }
    const figures = serviceCreation(await listCatalog(forward.connection.db), interval)
    const median = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b)
      const middle = (sorted.length - 1) / 2
      return ((sorted[Math.floor(middle)] as number) + (sorted[Math.ceil(middle)] as number)) / 2
    }
    const setup = (origin: string) =>
      rowsOf('services.csv')
        .filter((s) => s.origin === origin && s.requested_at)
        .map((s) => hours(s.live_at as string, s.requested_at as string))
    // by hand: 42, 35 and 49 days → median 42 days; template: 60 s and 45 s → 52.5 s
    expect(figures.manual).toMatchObject({ services: 4, setupMedianHours: median(setup('manual')) })
    expect(figures.template).toMatchObject({ services: 2, setupMedianHours: median(setup('template')) })
    expect(figures.manual.setupMedianHours).toBe(42 * 24)
    expect(figures.template.setupMedianHours).toBeCloseTo(52.5 / 3600, 12)
    expect(
      await forward.connection
        .sql`select entity_ref, name, origin, template_ref from services where origin = 'template' order by 1`,
    ).toEqual([
      {
        entity_ref: 'component:default/cart',
        name: 'cart',
        origin: 'template',
        template_ref: 'template:default/service-node',
      },
      {
        entity_ref: 'component:default/search-api',
        name: 'search-api',
        origin: 'template',
        template_ref: 'template:default/service-node',
      },
    ])
  })

  describe('bad files of the new kinds: line-and-column errors, and nothing written', () => {
    const cases: { name: string; kind: ImportKind; csv: string; expected: string[] }[] = [
      {
        name: 'pull requests: a bad date, an unknown repository, merged before created, a bad SHA, an id that is no number',
        kind: 'pull-requests',
        csv: [
          'id,repository,author,created_at,merged_at,merge_commit_sha,state',
          '21,acme-gl/checkout,ada,2026-03-32T10:00:00Z,,,',
          '22,acme-gl/nowhere,ada,2026-03-02T10:00:00Z,,,',
          '23,acme-gl/checkout,ada,2026-03-05T10:00:00Z,2026-03-04T10:00:00Z,,',
          '24,acme-gl/checkout,ada,2026-03-05T10:00:00Z,2026-03-06T10:00:00Z,xyz1234,',
          'MR-25,acme-gl/checkout,ada,2026-03-05T10:00:00Z,,,',
          '26,acme-gl/checkout,ada,2026-03-05T10:00:00Z,,,merged',
          '27,acme-gl/checkout,ada,2026-03-05T10:00:00Z,2026-03-06T10:00:00Z,,open',
        ].join('\n'),
        expected: [
          'bad.csv:2: created_at: "2026-03-32T10:00:00Z" is not a real time',
          'bad.csv:3: repository: "acme-gl/nowhere" is not known (import the repositories CSV, or sync GitHub, first)',
          'bad.csv:4: merged_at: "2026-03-04T10:00:00Z" is before created_at',
          'bad.csv:5: merge_commit_sha: "xyz1234" must be a commit SHA',
          'bad.csv:6: id: "MR-25" must be the pull request’s number in its repository (a whole number)',
          'bad.csv:7: merged_at: is needed for a merged pull request',
          'bad.csv:8: state: "open" does not agree with the times (merged_at given: merged; closed_at given: closed or merged)',
        ],
      },
      {
        name: 'services: an unknown team, a bad origin, live before requested, a template on a hand-made service',
        kind: 'services',
        csv: [
          'service,team,origin,template,requested_at,live_at',
          'component:default/a,platform-x,manual,,2026-03-02T10:00:00Z,2026-03-20T10:00:00Z',
          'component:default/b,payments,scaffolded,,2026-03-02T10:00:00Z,2026-03-20T10:00:00Z',
          'component:default/c,payments,manual,,2026-03-20T10:00:00Z,2026-03-02T10:00:00Z',
          'component:default/d,payments,manual,service-node,2026-03-02T10:00:00Z,2026-03-20T10:00:00Z',
          'payments-api,payments,manual,,,2026-03-20T10:00:00Z',
        ].join('\n'),
        expected: [
          'bad.csv:2: team: "platform-x" is not known (import the roster first)',
          'bad.csv:3: origin: "scaffolded" must be template or manual',
          'bad.csv:4: live_at: "2026-03-02T10:00:00Z" is before requested_at',
          'bad.csv:5: template: "service-node" is only for a service made from a template (origin template)',
          'bad.csv:6: service: "payments-api" must be a catalog entity ref, e.g. component:default/payments-api',
        ],
      },
    ]
    for (const { name, kind, csv, expected } of cases) {
      it(name, async () => {
        const before = await collectedFacts(forward.connection.sql)
        const dry = await run(forward, kind, 'bad.csv', Buffer.from(`${csv}\n`), true)
        expect(dry.problems.map((problem) => formatProblem('bad.csv', problem))).toEqual(expected)
        const report = await run(forward, kind, 'bad.csv', Buffer.from(`${csv}\n`))
        expect(report.problems.map((problem) => formatProblem('bad.csv', problem))).toEqual(expected)
        expect(report).toMatchObject({ inserted: 0, updated: 0 })
        expect(await collectedFacts(forward.connection.sql)).toEqual(before)
      })
    }
  })
})

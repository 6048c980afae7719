// CSV imports on a real database: a corpus of bad files each gets line-numbered errors and leaves the
// database as it was; good files import all-or-nothing, replace by key, and a dry run writes nothing.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatProblem, importCsv } from '@/collectors/csv/import'
import type { ImportKind } from '@/collectors/csv/kinds'
import { collectedFacts } from '@/tests/helpers/collected'
import { engine, freshDatabase, type TestDatabase } from '@/tests/helpers/database'

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, '../fixtures/csv', name))

describe(`CSV imports (${engine})`, () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await freshDatabase('csv')
  })
  afterAll(async () => database?.close())
  const run = (kind: ImportKind, file: string, bytes: Uint8Array, dryRun = false) =>
    importCsv(database.connection.db, { kind, file, bytes, dryRun, today: '2026-11-24' })
  const sql = () => database.connection.sql

  it('a roster creates teams, people and memberships from their start dates; the same file again changes nothing', async () => {
    const dry = await run('roster', 'roster.csv', fixture('roster.csv'), true)
    expect(dry).toMatchObject({ rows: 4, inserted: 4, updated: 0, rejected: 0, problems: [] })
    expect(await sql()`select count(*)::int as n from people`).toEqual([{ n: 0 }])
    const report = await run('roster', 'roster.csv', fixture('roster.csv'))
    expect(report).toMatchObject({ rows: 4, inserted: 4, updated: 0, unchanged: 0, rejected: 0 })
    expect(
      await sql()`select p.login, t.slug, m.valid_from::text, m.valid_to::text, p.is_engineer from team_memberships m join people p on p.id = m.person_id join teams t on t.id = m.team_id order by 1`,
    ).toEqual([
      { login: 'ada', slug: 'payments', valid_from: '2026-01-05', valid_to: null, is_engineer: true },
      { login: 'ben', slug: 'payments', valid_from: '2025-06-02', valid_to: null, is_engineer: true },
      { login: 'chen', slug: 'search', valid_from: '2026-02-02', valid_to: null, is_engineer: true },
      { login: 'zoe', slug: 'design', valid_from: '2025-01-06', valid_to: null, is_engineer: false },
    ])
    const again = await run('roster', 'roster.csv', fixture('roster.csv'))
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 4 })
    expect(
      await sql()`select status, created, updated, skipped from sync_runs where source = 'csv:roster' order by id`,
    ).toEqual([
      { status: 'success', created: 4, updated: 0, skipped: 0 },
      { status: 'success', created: 0, updated: 0, skipped: 4 },
    ])
  })

  it('a move in the roster closes the old membership on team_since and opens the new one; a leaver’s ends after end_date, their last day; re-importing changes nothing', async () => {
    const moved = 'login,team,team_since,end_date\nben,search,2026-09-01,\nzoe,design,,2026-10-31\n'
    expect(await run('roster', 'moves.csv', Buffer.from(moved))).toMatchObject({ inserted: 0, updated: 2 })
    const memberships = () =>
      sql()`select p.login, t.slug, m.valid_from::text, m.valid_to::text from team_memberships m join people p on p.id = m.person_id join teams t on t.id = m.team_id where p.login in ('ben', 'zoe') order by 1, 3`
    const expected = [
      { login: 'ben', slug: 'payments', valid_from: '2025-06-02', valid_to: '2026-09-01' },
      { login: 'ben', slug: 'search', valid_from: '2026-09-01', valid_to: null },
      // valid_to is exclusive: 31 October is still Zoe's
      { login: 'zoe', slug: 'design', valid_from: '2025-01-06', valid_to: '2026-11-01' },
    ]
    expect(await memberships()).toEqual(expected)
    expect(await run('roster', 'moves.csv', Buffer.from(moved))).toMatchObject({ inserted: 0, updated: 0 })
    expect(await memberships()).toEqual(expected)
  })

  it('survey answers are stored under a salted respondent key, never the id given; re-importing replaces by key', async () => {
    const file =
      'wave,respondent,team,question,score,submitted_at\n2026-Q3,alice@acme.example,payments,ease_of_delivery,7,2026-08-03T10:00:00Z\n2026-Q3,alice@acme.example,payments,flow_state,6,2026-08-03T10:00:00Z\n2026-Q3,bob@acme.example,search,ease_of_delivery,9,2026-08-04T09:00:00+02:00\n'
    expect(await run('survey', 'q3.csv', Buffer.from(file))).toMatchObject({ inserted: 3, updated: 0 })
    const keys = await sql()<{ key: string }[]>`select distinct respondent_key as key from survey_responses`
    expect(keys).toHaveLength(2)
    expect(keys.every(({ key }) => /^[0-9a-f]{20}$/.test(key) && !key.includes('alice'))).toBe(true)
    expect(await sql()`select key, opens_on::text, closes_on::text from survey_waves`).toEqual([
      { key: '2026-Q3', opens_on: '2026-08-03', closes_on: '2026-08-04' },
    ])
    const changed = file.replace('flow_state,6', 'flow_state,8')
    expect(await run('survey', 'q3.csv', Buffer.from(changed))).toMatchObject({ inserted: 0, updated: 1, unchanged: 2 })
  })

  it('deployments and incidents import, the incident linked to the deployment it names', async () => {
    const deployments =
      'id,team,environment,status,started_at,finished_at,commit_sha\nd-1,payments,production,success,2026-03-02T10:00:00Z,2026-03-02T10:20:00Z,abcdef1\nd-2,payments,staging,success,2026-03-02T11:00:00Z,2026-03-02T11:05:00Z,abcdef2\n'
    expect(await run('deployments', 'deploys.csv', Buffer.from(deployments))).toMatchObject({ inserted: 2 })
    const incidents =
      'id,team,title,priority,opened_at,resolved_at,caused_by_deployment\ni-1,payments,Checkout errors,P2,2026-03-02T10:40:00Z,2026-03-02T11:30:00Z,d-1\n'
    expect(await run('incidents', 'incidents.csv', Buffer.from(incidents))).toMatchObject({ inserted: 1 })
    expect(
      await sql()`select i.status, d.external_id from incidents i join deployments d on d.id = i.caused_by_deployment_id`,
    ).toEqual([{ status: 'resolved', external_id: 'd-1' }])
    const [week] = await sql()<
      { deployments: number; failures: number }[]
    >`select sum(deployments)::int as deployments, sum(change_failures)::int as failures from rollups_team_weeks where week_start = '2026-03-02'`
    expect(week).toEqual({ deployments: 1, failures: 1 })
  })

  it('repositories from any SCM: created with their teams, found again by owner/name (never twice), and deployments may name them', async () => {
    const file =
      'repository,team,provider,default_branch\nacme-gl/checkout,payments,gitlab,trunk\nacme-gl/docs,,gitlab,\nacme-gl/web/storefront,payments,gitlab,\n'
    expect(await run('repositories', 'repos.csv', Buffer.from(file))).toMatchObject({ inserted: 3, updated: 0 })
    expect(await run('repositories', 'repos.csv', Buffer.from(file))).toMatchObject({ inserted: 0, updated: 0 })
    // the docs repository moves to payments; the checkout one is left as it was
    const moved = 'repository,team\nacme-gl/docs,payments\n'
    expect(await run('repositories', 'move.csv', Buffer.from(moved))).toMatchObject({ inserted: 0, updated: 1 })
    // a file without the team leaves the owner as it is
    const flagsOnly = 'repository,archived\nacme-gl/docs,false\n'
    expect(await run('repositories', 'flags.csv', Buffer.from(flagsOnly))).toMatchObject({ inserted: 0, updated: 0 })
    expect(
      await sql()`select r.provider, r.external_id, r.owner, r.name, r.default_branch, t.slug as team
        from repositories r left join teams t on t.id = r.team_id where r.full_name like 'acme-gl/%' order by r.full_name`,
    ).toEqual([
      {
        provider: 'gitlab',
        external_id: 'csv:acme-gl/checkout',
        owner: 'acme-gl',
        name: 'checkout',
        default_branch: 'trunk',
        team: 'payments',
      },
      {
        provider: 'gitlab',
        external_id: 'csv:acme-gl/docs',
        owner: 'acme-gl',
        name: 'docs',
        default_branch: 'main',
        team: 'payments',
      },
      // a GitLab subgroup's project: the name is the path's last part
      {
        provider: 'gitlab',
        external_id: 'csv:acme-gl/web/storefront',
        owner: 'acme-gl/web',
        name: 'storefront',
        default_branch: 'main',
        team: 'payments',
      },
    ])
    const deployments =
      'id,repository,started_at,finished_at,commit_sha\nd-gl-1,acme-gl/checkout,2026-03-03T10:00:00Z,2026-03-03T10:20:00Z,abc1234\n'
    expect(await run('deployments', 'gl-deploys.csv', Buffer.from(deployments))).toMatchObject({ inserted: 1 })
    expect(
      await sql()`select r.full_name, t.slug as team from deployments d join repositories r on r.id = d.repository_id
        left join teams t on t.id = d.team_id where d.external_id = 'd-gl-1'`,
    ).toEqual([{ full_name: 'acme-gl/checkout', team: 'payments' }])
  })

  it('a NUL byte: the import writes nothing, names line and column, and leaves no run "running" (the failure message is printable)', async () => {
    const before = await collectedFacts(sql())
    const file =
      'id,team,title,opened_at\ni-20,payments,Fine,2026-03-02T10:00:00Z\ni-21,payments,Fine too,2026-03-02T11:00:00Z\ni-22,payments,Checkout\u0000errors,2026-03-02T12:00:00Z\n'
    const report = await run('incidents', 'nul.csv', Buffer.from(file))
    expect(report).toMatchObject({
      rows: 3,
      inserted: 0,
      updated: 0,
      rejected: 1,
      problems: [{ line: 4, column: 'title', message: 'contains a control character (U+0000); remove it' }],
    })
    expect(await collectedFacts(sql())).toEqual(before)
    expect(await sql()`select count(*)::int as n from incidents where external_id like 'i-2_'`).toEqual([{ n: 0 }])
    expect(await sql()`select count(*)::int as n from sync_runs where status = 'running'`).toEqual([{ n: 0 }])
    expect(await sql()`select status, error from sync_runs where id = ${report.runId ?? -1}`).toEqual([
      {
        status: 'failed',
        error:
          'nul.csv: 1 problem, nothing imported; first: line 4, column title: contains a control character (U+0000); remove it',
      },
    ])
    // a NUL in the file's name, too, is written out rather than stored
    const named = await run('incidents', 'nul\u0000.csv', Buffer.from(file))
    expect(await sql()`select scope, status from sync_runs where id = ${named.runId ?? -1}`).toEqual([
      { scope: 'nul\\u0000.csv', status: 'failed' },
    ])
    expect(await sql()`select count(*)::int as n from sync_runs where status = 'running'`).toEqual([{ n: 0 }])
  })

  describe('a corpus of bad files: each gets line-numbered errors and changes nothing', () => {
    const cases: { name: string; kind: ImportKind; bytes: () => Uint8Array; expected: string[] }[] = [
      {
        name: 'not UTF-8 (Latin-1 "ë" on line 3)',
        kind: 'roster',
        bytes: () =>
          Buffer.concat([
            Buffer.from('login,name,team\nada,Ada,payments\nzoe,Zo'),
            Buffer.from([0xeb]),
            Buffer.from(',design\n'),
          ]),
        expected: [
          'bad.csv:3: name: the file is not UTF-8 (this line has bytes that are not); save it as "CSV UTF-8" and try again',
        ],
      },
      {
        name: 'a byte-order mark is dropped (the header still reads "login"), and the bad date on line 3 is named',
        kind: 'roster',
        bytes: () => fixture('roster-bom-bad-date.csv'),
        expected: ['bad.csv:3: start_date: "2026-02-30" is not a real date'],
      },
      {
        name: 'a missing column',
        kind: 'survey',
        bytes: () => fixture('survey-missing-column.csv'),
        expected: [
          'bad.csv:1: score: the required column "score" is missing (the columns are: wave, respondent, team, question, submitted_at)',
        ],
      },
      {
        name: 'a date in the wrong format, and a day that does not exist',
        kind: 'deployments',
        bytes: () => fixture('deployments-bad-date.csv'),
        expected: [
          'bad.csv:3: started_at: "03/02/2026 11:00" must be a time with its zone, e.g. 2026-03-02T14:30:00Z',
          'bad.csv:4: finished_at: "2026-02-30T12:20:00Z" is not a real time',
        ],
      },
      {
        name: 'a duplicate key',
        kind: 'incidents',
        bytes: () => fixture('incidents-duplicate-key.csv'),
        expected: ['bad.csv:4: the same id as line 2 (each may appear once)'],
      },
      {
        name: 'a cell that looks like a formula',
        kind: 'roster',
        bytes: () => fixture('roster-formula.csv'),
        expected: [
          expect.stringMatching(
            /^bad\.csv:2: name: "=HYPERLINK\(.*looks like a spreadsheet formula/,
          ) as unknown as string,
        ],
      },
      {
        name: 'too large',
        kind: 'portal-usage',
        bytes: () =>
          Buffer.from(
            `timestamp,user,action,subject\n${'2026-03-02T10:00:00Z,user:default/ada,navigate,/catalog/default/component/some-long-subject-to-fill-the-file\n'.repeat(260_000)}`,
          ),
        expected: [
          expect.stringMatching(
            /^bad\.csv:1\d{5}: the file is 27\.0 MB; at most 20\.0 MB can be imported at once \(it passes the limit on this line\)$/,
          ) as unknown as string,
        ],
      },
      {
        name: 'a NUL byte in a cell (Postgres cannot store one), and a bell in another',
        kind: 'incidents',
        bytes: () =>
          Buffer.from(
            'id,team,title,opened_at\ni-7,payments,Fine,2026-03-02T10:00:00Z\ni-8,payments,Also fine,2026-03-02T10:00:00Z\ni-9,payments,Checkout\u0000errors,2026-03-02T10:00:00Z\ni-10,pay\u0007ments,x,2026-03-02T10:00:00Z\n',
          ),
        expected: [
          'bad.csv:4: title: contains a control character (U+0000); remove it',
          'bad.csv:5: team: contains a control character (U+0007); remove it',
        ],
      },
      {
        name: 'times that cannot have happened: year 9999 and year 0001; a planned day more than a year ahead',
        kind: 'deployments',
        bytes: () =>
          Buffer.from(
            'id,team,started_at,finished_at\nd-7,payments,2026-03-02T10:00:00Z,9999-03-02T10:20:00Z\nd-8,payments,0001-01-01T00:00:00Z,2026-03-02T10:20:00Z\nd-9,payments,2026-11-25T10:00:00Z,2026-11-26T00:00:00Z\n',
          ),
        expected: [
          'bad.csv:2: finished_at: "9999-03-02T10:20:00Z" is after tomorrow (2026-11-25, UTC): it cannot have happened yet',
          'bad.csv:3: started_at: "0001-01-01T00:00:00Z" is before 2000-01-01, the earliest date accepted (UPSHOT_EARLIEST_DATE)',
          'bad.csv:4: finished_at: "2026-11-26T00:00:00Z" is after tomorrow (2026-11-25, UTC): it cannot have happened yet',
        ],
      },
      {
        name: 'a roster: a last day next month is planned, one in 9999 and a start in 1970 are not',
        kind: 'roster',
        bytes: () =>
          Buffer.from(
            'login,team,start_date,end_date\nleaver,payments,2026-01-05,2026-12-31\nforever,payments,2026-01-05,9999-12-31\nepoch,payments,1970-01-01,\n',
          ),
        expected: [
          'bad.csv:3: end_date: "9999-12-31" is more than a year ahead (after 2027-11-24)',
          'bad.csv:4: start_date: "1970-01-01" is before 2000-01-01, the earliest date accepted (UPSHOT_EARLIEST_DATE)',
        ],
      },
      {
        name: 'a team nobody has heard of',
        kind: 'incidents',
        bytes: () => Buffer.from('id,team,title,opened_at\ni-9,platform-x,Outage,2026-03-02T10:00:00Z\n'),
        expected: ['bad.csv:2: team: "platform-x" is not known (import the roster first)'],
      },
      {
        name: 'repositories: not owner/name, a team nobody has heard of, an unknown provider, a repository twice',
        kind: 'repositories',
        bytes: () =>
          Buffer.from(
            'repository,team,provider\nacme,payments,gitlab\nacme/billing,platform-x,gitlab\nacme/ledger,payments,svn\nacme/cart,,\nacme/cart,,\n',
          ),
        expected: [
          'bad.csv:2: repository: "acme" must be owner/name (or group/subgroup/name)',
          'bad.csv:3: team: "platform-x" is not known (import the roster first)',
          'bad.csv:4: provider: "svn" must be github, gitlab, bitbucket, azure-devops or other',
          'bad.csv:6: the same repository as line 5 (each may appear once)',
        ],
      },
      {
        name: 'a deployment naming a repository nobody imported says where repositories come from',
        kind: 'deployments',
        bytes: () =>
          Buffer.from(
            'id,repository,started_at,finished_at\nd-77,acme/nowhere,2026-03-02T10:00:00Z,2026-03-02T10:20:00Z\n',
          ),
        expected: [
          'bad.csv:2: repository: "acme/nowhere" is not known (import the repositories CSV, or sync GitHub, first)',
        ],
      },
    ]
    for (const { name, kind, bytes, expected } of cases) {
      it(name, async () => {
        const before = await collectedFacts(sql())
        const dry = await run(kind, 'bad.csv', bytes(), true)
        expect(dry.problems.map((problem) => formatProblem('bad.csv', problem))).toEqual(expected)
        const report = await run(kind, 'bad.csv', bytes())
        expect(report.problems.map((problem) => formatProblem('bad.csv', problem))).toEqual(expected)
        expect(report).toMatchObject({ inserted: 0, updated: 0 })
        expect(report.rejected).toBeGreaterThan(0)
        expect(await collectedFacts(sql())).toEqual(before)
        const [last] = await sql()<
          { status: string; error: string }[]
        >`select status, error from sync_runs order by id desc limit 1`
        expect(last?.status).toBe('failed')
        expect(last?.error).toMatch(/^bad\.csv: \d+ problems?, nothing imported; first: line \d+/)
      })
    }
  })
})

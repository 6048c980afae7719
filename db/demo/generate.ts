// The demo organisation as a stream of row batches, table by table and team by team, so that scale 20
// (over a million pull requests) never sits in memory at once. Pure: nothing here touches a database.
import { createHash } from 'node:crypto'
import { toIsoDate } from '@/lib/dates'
import * as schema from '@/db/schema'
import { generateTeamDelivery } from './delivery'
import { portalEvents, scaffolderRuns, studyObservations, surveyResponses, surveyWaves } from './experience'
import type { IdCounters } from './ids'
import { demoOptionsSchema, demoTimeline, type DemoOptions, type DemoOptionsInput, type Timeline } from './options'
import { buildWorld } from './organisation'
import type { World } from './plans'

/** Every table the generator fills, in an order that satisfies foreign keys. */
export const demoTables = {
  teams: schema.teams,
  people: schema.people,
  teamMemberships: schema.teamMemberships,
  repositories: schema.repositories,
  services: schema.services,
  milestones: schema.milestones,
  initiatives: schema.initiatives,
  initiativeTeams: schema.initiativeTeams,
  initiativeGoals: schema.initiativeGoals,
  surveyWaves: schema.surveyWaves,
  surveyResponses: schema.surveyResponses,
  pullRequests: schema.pullRequests,
  deployments: schema.deployments,
  deploymentPullRequests: schema.deploymentPullRequests,
  incidents: schema.incidents,
  scaffolderRuns: schema.scaffolderRuns,
  portalEvents: schema.portalEvents,
  studyObservations: schema.studyObservations,
} as const

export type DemoTableName = keyof typeof demoTables
export type DemoRow<T extends DemoTableName> = (typeof demoTables)[T]['$inferInsert']
export type DemoBatch = { [T in DemoTableName]: { table: T; rows: DemoRow<T>[] } }[DemoTableName]

export interface DemoOrganisation {
  options: DemoOptions
  timeline: Timeline
  world: World
  batches(): Generator<DemoBatch>
}

export function demoOrganisation(input: DemoOptionsInput = {}): DemoOrganisation {
  const options = demoOptionsSchema.parse(input)
  const timeline = demoTimeline(options)
  const world = buildWorld(options, timeline)
  return { options, timeline, world, batches: () => batches(world) }
}

function* batches(world: World): Generator<DemoBatch> {
  const { timeline } = world
  yield { table: 'teams', rows: world.teams.map((team) => team.row) }
  yield { table: 'people', rows: world.people.map((person) => person.row) }
  yield { table: 'teamMemberships', rows: world.memberships }
  yield { table: 'repositories', rows: world.repos.map((repo) => repo.row) }
  yield { table: 'services', rows: world.services.map((service) => service.row) }
  yield {
    table: 'milestones',
    rows: [
      {
        id: 1,
        kind: 'portal_launch',
        name: 'Developer portal launched',
        occurredOn: toIsoDate(timeline.launch),
        description: 'The portal goes live for three pilot teams: catalog, docs, search and golden-path templates.',
        createdAt: timeline.end,
      },
      {
        id: 2,
        kind: 'other',
        name: 'Developer portal open to every team',
        occurredOn: toIsoDate(timeline.generalAvailability),
        description: 'General availability after the pilot: every team adopts within two weeks.',
        createdAt: timeline.end,
      },
    ],
  }
  const pilots = world.teams.filter((team) => team.role === 'pilot')
  const controls = world.teams.filter((team) => team.role === 'control')
  yield {
    table: 'initiatives',
    rows: [
      {
        id: 1,
        slug: 'portal-pilot',
        name: 'Developer portal pilot',
        useCase: 'delivery',
        primaryMetrics: ['deployment_frequency', 'lead_time'],
        description:
          `${names(pilots)} used the portal four months before everyone else; ${names(controls)} ` +
          'did not, and serve as the control group.',
        launchDate: toIsoDate(timeline.launch),
        baselineStart: toIsoDate(timeline.pilotBaseline.from),
        baselineEnd: toIsoDate(timeline.pilotBaseline.to),
        evaluationStart: toIsoDate(timeline.pilotEvaluation.from),
        evaluationEnd: toIsoDate(timeline.pilotEvaluation.to),
        createdAt: timeline.end,
        updatedAt: timeline.end,
      },
    ],
  }
  yield {
    table: 'initiativeTeams',
    rows: [
      ...pilots.map((team) => ({ initiativeId: 1, teamId: team.row.id, role: 'pilot' as const })),
      ...controls.map((team) => ({ initiativeId: 1, teamId: team.row.id, role: 'control' as const })),
    ],
  }
  // Goals set when the pilot started, as a platform lead would: ramp-up to a week, restore within the hour, and a
  // deployment frequency beyond what the pilot reaches (so the demo shows more than one status)
  yield {
    table: 'initiativeGoals',
    rows: [
      { initiativeId: 1, metric: 'days_to_first_merge', target: 7 },
      { initiativeId: 1, metric: 'time_to_restore', target: 60 },
      { initiativeId: 1, metric: 'deployment_frequency', target: 5 },
    ].map((goal) => ({
      ...goal,
      dueOn: toIsoDate(timeline.pilotEvaluation.to),
      setBy: 'the demo',
      setAt: timeline.launch,
    })),
  }
  const waves = surveyWaves(world)
  yield { table: 'surveyWaves', rows: waves }
  yield { table: 'surveyResponses', rows: surveyResponses(world, waves, { value: 0 }) }
  yield { table: 'studyObservations', rows: studyObservations(world) }

  const ids: IdCounters = { pullRequest: 0, deployment: 0, incident: 0 }
  const runIds = { value: 0 }
  const eventIds = { value: 0 }
  for (const team of world.teams) {
    const delivery = generateTeamDelivery(world, team, ids)
    yield { table: 'pullRequests', rows: delivery.pullRequests }
    yield { table: 'deployments', rows: delivery.deployments }
    yield { table: 'deploymentPullRequests', rows: delivery.deploymentPullRequests }
    yield { table: 'incidents', rows: delivery.incidents }
    yield { table: 'scaffolderRuns', rows: scaffolderRuns(world, team, runIds) }
    yield { table: 'portalEvents', rows: portalEvents(world, team, eventIds) }
  }
}

function names(teams: { row: { name: string } }[]): string {
  const list = teams.map((team) => team.row.name)
  return list.length <= 1 ? list.join('') : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`
}

export interface TableDigest {
  rows: number
  sha256: string
}

/** Row count and a digest of every row, per table: two runs with one seed must agree exactly. */
export function digestDemo(organisation: DemoOrganisation): Record<DemoTableName, TableDigest> {
  const hashes = new Map<DemoTableName, { rows: number; hash: ReturnType<typeof createHash> }>()
  for (const batch of organisation.batches()) {
    const entry = hashes.get(batch.table) ?? { rows: 0, hash: createHash('sha256') }
    for (const row of batch.rows) entry.hash.update(`${JSON.stringify(row)}\n`)
    entry.rows += batch.rows.length
    hashes.set(batch.table, entry)
  }
  const out = {} as Record<DemoTableName, TableDigest>
  for (const table of Object.keys(demoTables) as DemoTableName[]) {
    const entry = hashes.get(table)
    out[table] = { rows: entry?.rows ?? 0, sha256: entry ? entry.hash.digest('hex') : '' }
  }
  return out
}

import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { DAY_MS } from '@/lib/dates'
import { demoOrganisation, digestDemo, type DemoRow, type DemoTableName } from './generate'
import { buildWorld } from './organisation'
import { demoOptionsSchema, demoTimeline } from './options'

const END = '2026-11-23'

type Rows = { [T in DemoTableName]: DemoRow<T>[] }

function collect(input: Parameters<typeof demoOrganisation>[0]) {
  const organisation = demoOrganisation(input)
  const rows = {} as Rows
  for (const batch of organisation.batches()) ((rows[batch.table] ??= []) as unknown[]).push(...batch.rows)
  return { organisation, rows }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length

describe('demo organisation: determinism', () => {
  it('gives identical row counts and SHA-256 per table for the same seed, and different rows for another seed', () => {
    const first = digestDemo(demoOrganisation({ seed: 42, end: END }))
    const second = digestDemo(demoOrganisation({ seed: 42, end: END }))
    const other = digestDemo(demoOrganisation({ seed: 43, end: END }))
    expect(second).toEqual(first)
    expect(first.pullRequests.rows).toBeGreaterThan(0)
    expect(other.pullRequests.sha256).not.toBe(first.pullRequests.sha256)
    expect(other.teams.sha256).toBe(first.teams.sha256) // team names and ids do not depend on the seed
  })
})

describe('demo organisation at scale 1 (24 months)', () => {
  let rows: Rows
  let organisation: ReturnType<typeof demoOrganisation>
  beforeAll(() => {
    ;({ rows, organisation } = collect({ seed: 42, end: END }))
  })

  it('has the size the design asks for: 12 teams, ~250 engineers, 80 services, ~60 repositories', () => {
    const { world } = organisation
    expect(rows.teams).toHaveLength(12)
    const engineersAtEnd = world.people.filter((person) => person.end === null).length
    expect(engineersAtEnd).toBeGreaterThanOrEqual(230)
    expect(engineersAtEnd).toBeLessThanOrEqual(270)
    expect(rows.services).toHaveLength(80)
    expect(rows.repositories.length).toBeGreaterThanOrEqual(55)
    expect(rows.repositories.length).toBeLessThanOrEqual(65)
    expect(rows.pullRequests.length).toBeGreaterThan(40_000)
    expect(rows.surveyWaves).toHaveLength(8) // quarterly over 24 months
    // monthly new hires and team moves
    expect(world.people.filter((person) => person.isNewHire).length).toBeGreaterThan(24 * 2)
    expect(world.people.filter((person) => person.stints.length > 1).length).toBeGreaterThan(10)
  })

  it('keeps every pull request consistent: commit ≤ open ≤ review ≤ merge, shipped once, after its merge, nothing after the end', () => {
    const end = new Date(`${END}T00:00:00Z`).getTime()
    const deployments = new Map(rows.deployments.map((deployment) => [deployment.id as number, deployment]))
    const prs = new Map(rows.pullRequests.map((pr) => [pr.id as number, pr]))
    const shipped = new Map<number, number>()
    for (const link of rows.deploymentPullRequests)
      shipped.set(link.pullRequestId, (shipped.get(link.pullRequestId) ?? 0) + 1)
    const violations: string[] = []
    for (const pr of rows.pullRequests) {
      const times = [pr.firstCommitAt, pr.openedAt, pr.firstReviewAt, pr.mergedAt]
        .filter((time): time is Date => time instanceof Date)
        .map((time) => time.getTime())
      if (times.some((time, i) => i > 0 && time < (times[i - 1] as number)))
        violations.push(`PR ${pr.id}: timestamps out of order`)
      if (times.some((time) => time >= end)) violations.push(`PR ${pr.id}: after the end of the data`)
      if (pr.state === 'merged' && !pr.mergedAt) violations.push(`PR ${pr.id}: merged without merged_at`)
      if ((shipped.get(pr.id as number) ?? 0) > 1) violations.push(`PR ${pr.id}: shipped twice`)
    }
    for (const link of rows.deploymentPullRequests) {
      const deployment = deployments.get(link.deploymentId)
      if (!deployment?.isProduction || deployment.status !== 'success')
        violations.push(`deployment ${link.deploymentId}: ships but did not succeed in production`)
      const merged = prs.get(link.pullRequestId)?.mergedAt
      if (!merged || !deployment || merged.getTime() > deployment.startedAt.getTime())
        violations.push(`PR ${link.pullRequestId}: shipped before merge`)
    }
    expect(violations.slice(0, 10)).toEqual([])
    expect(shipped.size).toBeGreaterThan(rows.pullRequests.length * 0.8)
  })

  it('links incidents only to successful production deployments that happened before them', () => {
    const deployments = new Map(rows.deployments.map((deployment) => [deployment.id as number, deployment]))
    const caused = rows.incidents.filter((incident) => incident.causedByDeploymentId)
    expect(caused.length).toBeGreaterThan(100)
    for (const incident of caused) {
      const deployment = deployments.get(incident.causedByDeploymentId as number)
      expect(deployment?.isProduction && deployment.status === 'success').toBe(true)
      expect(deployment?.finishedAt?.getTime()).toBeLessThan(incident.openedAt.getTime())
    }
  })

  describe('tells the story it was built to tell (pilot teams vs control teams, baseline vs evaluation)', () => {
    const inWindow = (date: Date | null | undefined, window: { from: Date; to: Date }) =>
      !!date && date >= window.from && date < window.to
    let pilot: Set<number>
    let control: Set<number>
    beforeAll(() => {
      pilot = new Set(organisation.world.teams.filter((team) => team.role === 'pilot').map((team) => team.row.id))
      control = new Set(organisation.world.teams.filter((team) => team.role === 'control').map((team) => team.row.id))
    })

    it('deploys about 30% more often: pilot growth ÷ control growth ≥ 1.15', () => {
      const { pilotBaseline, pilotEvaluation } = organisation.timeline
      const count = (teams: Set<number>, window: { from: Date; to: Date }) =>
        rows.deployments.filter(
          (d) =>
            d.isProduction && d.status === 'success' && teams.has(d.teamId as number) && inWindow(d.finishedAt, window),
        ).length
      const weeks = (window: { from: Date; to: Date }) => (window.to.getTime() - window.from.getTime()) / (7 * DAY_MS)
      const growth = (teams: Set<number>) =>
        count(teams, pilotEvaluation) / weeks(pilotEvaluation) / (count(teams, pilotBaseline) / weeks(pilotBaseline))
      expect(growth(pilot) / growth(control)).toBeGreaterThanOrEqual(1.15)
    })

    it('onboards faster: median days to first merged PR ≥ 11 before the team adopted, ≤ 7 after', () => {
      const firstMerge = new Map<number, Date>()
      for (const pr of rows.pullRequests) {
        if (!pr.mergedAt || !pr.authorPersonId) continue
        const current = firstMerge.get(pr.authorPersonId)
        if (!current || pr.mergedAt < current) firstMerge.set(pr.authorPersonId, pr.mergedAt)
      }
      const before: number[] = []
      const after: number[] = []
      for (const person of organisation.world.people.filter((p) => p.isNewHire)) {
        const merged = firstMerge.get(person.row.id)
        const team = organisation.world.teams[person.stints[0]?.teamIndex ?? 0]
        if (!merged || !team) continue
        ;(person.start >= team.adoptsAt ? after : before).push((merged.getTime() - person.start.getTime()) / DAY_MS)
      }
      expect(median(before)).toBeGreaterThanOrEqual(11)
      expect(median(after)).toBeLessThanOrEqual(7)
    })

    it('scores DX about 6.4 before and about 8.1 after (overall question, pilot teams)', () => {
      const waves = rows.surveyWaves.map((wave) => ({
        id: wave.id as number,
        opens: new Date(`${wave.opensOn}T00:00:00Z`),
      }))
      const score = (predicate: (opens: Date) => boolean) => {
        const ids = new Set(waves.filter((wave) => predicate(wave.opens)).map((wave) => wave.id))
        return mean(
          rows.surveyResponses
            .filter((r) => r.question === 'overall' && ids.has(r.waveId) && pilot.has(r.teamId as number))
            .map((r) => r.score),
        )
      }
      const launch = organisation.timeline.launch
      expect(score((opens) => opens < launch)).toBeLessThan(7)
      expect(score((opens) => opens.getTime() > launch.getTime() + 60 * DAY_MS)).toBeGreaterThan(7.5)
    })

    it('makes services from templates in about a minute and by hand in 4–6 weeks', () => {
      const template = rows.services.filter((s) => s.origin === 'template')
      const manual = rows.services.filter((s) => s.origin === 'manual' && s.requestedAt)
      expect(template.length).toBeGreaterThan(0)
      expect(manual.length).toBeGreaterThan(0)
      for (const s of template)
        expect(((s.createdAt as Date).getTime() - (s.requestedAt as Date).getTime()) / 1000).toBeLessThan(300)
      for (const s of manual) {
        const days = ((s.createdAt as Date).getTime() - (s.requestedAt as Date).getTime()) / DAY_MS
        expect(days).toBeGreaterThanOrEqual(28)
        expect(days).toBeLessThanOrEqual(42)
      }
    })

    it('leaves control teams without portal usage until general availability', () => {
      const ga = organisation.timeline.generalAvailability
      expect(rows.portalEvents.some((e) => control.has(e.teamId as number) && e.occurredAt < ga)).toBe(false)
      expect(rows.portalEvents.some((e) => pilot.has(e.teamId as number) && e.occurredAt < ga)).toBe(true)
    })
  })
})

describe('demo organisation: scale factor', () => {
  it('scale 20 is about 5,000 engineers in 240 teams', () => {
    const options = demoOptionsSchema.parse({ scale: 20, end: END })
    const world = buildWorld(options, demoTimeline(options))
    expect(world.teams).toHaveLength(240)
    const engineers = world.people.filter((person) => person.end === null).length
    expect(engineers).toBeGreaterThan(4_600)
    expect(engineers).toBeLessThan(5_400)
  })

  it('holds the same invariants for any seed (small organisations)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const { rows, organisation } = collect({ seed, scale: 0.1, end: END })
        const ids = (list: { id?: number | null }[]) => new Set(list.map((row) => row.id)).size === list.length
        expect(ids(rows.pullRequests) && ids(rows.deployments) && ids(rows.incidents) && ids(rows.portalEvents)).toBe(
          true,
        )
        const numbers = new Set(rows.pullRequests.map((pr) => `${pr.repositoryId}#${pr.number}`))
        expect(numbers.size).toBe(rows.pullRequests.length)
        // a person is in one team at a time
        for (const person of organisation.world.people) {
          for (let i = 1; i < person.stints.length; i++) {
            expect(person.stints[i - 1]?.to?.getTime()).toBe(person.stints[i]?.from.getTime())
          }
        }
        expect(rows.initiativeTeams.filter((t) => t.role === 'pilot')).toHaveLength(3)
        expect(rows.initiativeTeams.filter((t) => t.role === 'control')).toHaveLength(3)
      }),
      { numRuns: 5 },
    )
  })
})

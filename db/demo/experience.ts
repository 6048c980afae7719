// Developer experience and portal usage: quarterly pulse surveys (6.4 → 8.1 once a team has the portal),
// scaffolder template runs, and portal analytics events in Backstage's event shape from adoption onward.
import { createHash } from 'node:crypto'
import { addUtcDays, DAY_MS, MINUTE_MS, SECOND_MS, startOfUtcWeek, toIsoDate } from '@/lib/dates'
import type { ScaffolderStatus } from '@/lib/domain'
import type {
  NewPortalEvent,
  NewScaffolderRun,
  NewStudyObservation,
  NewSurveyResponse,
  NewSurveyWave,
} from '@/db/schema'
import { DEFAULT_STUDY_TASKS } from '@/lib/domain'
import { activityFactor, days, workingMoment } from './calendar'
import { adoption, teamAt, type PersonPlan, type TeamPlan, type World } from './plans'
import { Random } from './random'
import { DEMO_EFFECTS } from './effects'

type WaveRow = NewSurveyWave & { id: number }
type ResponseRow = NewSurveyResponse & { id: number }
type RunRow = NewScaffolderRun & { id: number }
type EventRow = NewPortalEvent & { id: number }

/** Pulse questions, each scored 1–10; offsets around the respondent's overall feeling sum to zero. */
const SURVEY_QUESTIONS: readonly [key: string, offset: number][] = [
  ['overall', 0],
  ['find_docs', -0.3],
  ['ship_confidence', 0.2],
  ['tooling', -0.1],
  ['onboarding_support', 0.1],
  ['focus_time', 0.1],
]
const RESPONSE_RATE = 0.68

export function surveyWaves(world: World): WaveRow[] {
  const { start, end } = world.timeline
  const waves: WaveRow[] = []
  const first = new Date(Date.UTC(start.getUTCFullYear(), Math.floor(start.getUTCMonth() / 3) * 3, 1))
  for (
    let quarter = first;
    quarter < end;
    quarter = new Date(Date.UTC(quarter.getUTCFullYear(), quarter.getUTCMonth() + 3, 1))
  ) {
    const opens = startOfUtcWeek(addUtcDays(quarter, 10))
    const closes = addUtcDays(opens, 14)
    if (opens < start || closes > end) continue
    const key = `${quarter.getUTCFullYear()}-Q${Math.floor(quarter.getUTCMonth() / 3) + 1}`
    waves.push({
      id: waves.length + 1,
      key,
      title: `Developer experience pulse ${key}`,
      opensOn: toIsoDate(opens),
      closesOn: toIsoDate(closes),
      createdAt: end,
    })
  }
  return waves
}

export function surveyResponses(world: World, waves: WaveRow[], nextId: { value: number }): ResponseRow[] {
  const random = Random.derive(world.options.seed, 'survey')
  const { start } = world.timeline
  const rows: ResponseRow[] = []
  for (const wave of waves) {
    const opens = new Date(`${wave.opensOn}T00:00:00Z`)
    for (const person of world.people) {
      if (person.start > addUtcDays(opens, -14) || (person.end && person.end <= opens)) continue
      const teamIndex = teamAt(person, opens)
      if (teamIndex === null || !random.chance(RESPONSE_RATE)) continue
      const team = world.teams[teamIndex] as TeamPlan
      const years = (opens.getTime() - start.getTime()) / (365 * DAY_MS)
      const { before, after } = DEMO_EFFECTS.dxScore
      const mean = before + (after - before) * adoption(team, opens) + team.dxOffset + 0.1 * years
      const personal = random.normal(0, 0.7)
      const submittedAt = workingMoment(random, addUtcDays(opens, random.int(0, 13)))
      const respondentKey = createHash('sha256')
        .update(`${world.options.seed}:${wave.key}:${person.index}`)
        .digest('hex')
        .slice(0, 20)
      for (const [question, offset] of SURVEY_QUESTIONS) {
        const score = Math.min(10, Math.max(1, Math.round(mean + offset + personal + random.normal(0, 0.9))))
        rows.push({
          id: ++nextId.value,
          waveId: wave.id,
          respondentKey,
          teamId: team.row.id,
          question,
          score,
          submittedAt,
        })
      }
    }
  }
  return rows
}

const OTHER_TEMPLATES = [
  'template:default/library',
  'template:default/add-ci-pipeline',
  'template:default/docs-site',
  'template:default/service-node',
]
const OTHER_TEMPLATE_WEIGHTS = [0.3, 0.3, 0.2, 0.2]

/** Template runs of one team: the runs that created its services, and other runs from adoption onward. */
export function scaffolderRuns(world: World, team: TeamPlan, nextId: { value: number }): RunRow[] {
  const random = Random.derive(world.options.seed, `scaffolder:${team.index}`)
  const { end } = world.timeline
  const drafts: Omit<RunRow, 'id' | 'externalId'>[] = []
  for (const service of world.services) {
    if (service.teamIndex !== team.index || !service.scaffolderRun) continue
    const run = service.scaffolderRun
    const person = world.people[run.personIndex] as PersonPlan
    drafts.push(
      runRow(
        team,
        person,
        service.row.templateRef ?? 'template:default/service-node',
        'completed',
        run.startedAt,
        run.finishedAt,
        service.row.id,
        end,
      ),
    )
  }
  for (let week = startOfUtcWeek(team.adoptsAt); week < end; week = addUtcDays(week, 7)) {
    const level = adoption(team, week)
    for (let n = random.poisson(0.5 * level * team.weight); n > 0; n--) {
      const day = addUtcDays(week, random.int(0, 4))
      const members = world.people.filter((person) => teamAt(person, day) === team.index)
      if (members.length === 0) continue
      const template = random.weighted(OTHER_TEMPLATES, OTHER_TEMPLATE_WEIGHTS)
      // A service template run that made a service is counted above; here it is an attempt that did not.
      const roll = random.next()
      const status: ScaffolderStatus =
        template === 'template:default/service-node'
          ? roll < 0.8
            ? 'failed'
            : 'cancelled'
          : roll < 0.9
            ? 'completed'
            : roll < 0.98
              ? 'failed'
              : 'cancelled'
      const startedAt = workingMoment(random, day)
      const seconds = status === 'completed' ? random.logNormal(40, 0.4) : random.logNormal(15, 0.6)
      const finishedAt = new Date(startedAt.getTime() + seconds * SECOND_MS)
      if (finishedAt >= end) continue
      drafts.push(runRow(team, random.pick(members), template, status, startedAt, finishedAt, null, end))
    }
  }
  drafts.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime())
  return drafts.map((draft) => {
    const id = ++nextId.value
    return { ...draft, id, externalId: `demo-task-${id}` }
  })
}

function runRow(
  team: TeamPlan,
  person: PersonPlan,
  templateRef: string,
  status: ScaffolderStatus,
  startedAt: Date,
  finishedAt: Date,
  serviceId: number | null,
  end: Date,
): Omit<RunRow, 'id' | 'externalId'> {
  return {
    source: 'backstage',
    templateRef,
    userRef: `user:default/${person.row.login}`,
    personId: person.row.id,
    teamId: team.row.id,
    status,
    startedAt,
    finishedAt,
    serviceId,
    createdAt: end,
  }
}

const SEARCH_TERMS = [
  'oncall runbook',
  'kafka topic',
  'deploy pipeline',
  'feature flags',
  'postgres migration',
  'rate limit',
  'api guidelines',
  'secrets',
  'golden path',
  'observability',
  'incident process',
  'service template',
]

/** Portal use by the team's members from adoption: more of them, more often, over twelve weeks. */
export function portalEvents(world: World, team: TeamPlan, nextId: { value: number }): EventRow[] {
  const random = Random.derive(world.options.seed, `portal:${team.index}`)
  const { end } = world.timeline
  const services = world.services.filter((service) => (service.row.createdAt as Date) <= end)
  const rows: EventRow[] = []
  for (const person of world.people) {
    for (const stint of person.stints) {
      if (stint.teamIndex !== team.index) continue
      const from = new Date(Math.max(stint.from.getTime(), team.adoptsAt.getTime()))
      const to = new Date(Math.min((stint.to ?? end).getTime(), end.getTime()))
      for (const day of days(new Date(Math.ceil(from.getTime() / DAY_MS) * DAY_MS), to)) {
        const usage = adoption(team, day, 84)
        if (!random.chance((0.12 + 0.5 * usage) * activityFactor(day, 0.02))) continue
        let at = workingMoment(random, day)
        for (let n = 1 + random.poisson(2.2); n > 0; n--) {
          at = new Date(at.getTime() + random.logNormal(3, 1) * MINUTE_MS)
          if (at >= end) break
          const service = random.pick(services)
          rows.push({
            id: 0,
            ...event(random, service.row.name),
            eventId: '',
            userRef: `user:default/${person.row.login}`,
            personId: person.row.id,
            teamId: team.row.id,
            occurredAt: at,
          })
        }
      }
    }
  }
  rows.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || (a.personId ?? 0) - (b.personId ?? 0))
  for (const row of rows) {
    row.id = ++nextId.value
    row.eventId = `demo-event-${row.id}`
  }
  return rows
}

/** One analytics event as Backstage's analytics API emits it: action, subject, value, attributes, context. */
function event(
  random: Random,
  service: string,
): Pick<EventRow, 'action' | 'subject' | 'value' | 'attributes' | 'context' | 'pluginId'> {
  const kind = random.weighted(
    ['catalog', 'techdocs', 'search', 'scaffolder', 'api-docs', 'click'],
    [0.35, 0.25, 0.2, 0.07, 0.08, 0.05],
  )
  const context = (pluginId: string, routeRef: string) => ({ pluginId, routeRef, extension: 'App' })
  switch (kind) {
    case 'catalog':
      return {
        action: 'navigate',
        subject: `/catalog/default/component/${service}`,
        value: null,
        attributes: {},
        context: context('catalog', 'catalog:entity'),
        pluginId: 'catalog',
      }
    case 'techdocs':
      return {
        action: 'navigate',
        subject: `/docs/default/component/${service}`,
        value: null,
        attributes: {},
        context: context('techdocs', 'techdocs:reader-page'),
        pluginId: 'techdocs',
      }
    case 'search':
      return {
        action: 'search',
        subject: random.pick(SEARCH_TERMS),
        value: random.int(0, 40),
        attributes: {},
        context: context('search', 'search:root'),
        pluginId: 'search',
      }
    case 'scaffolder':
      return {
        action: 'navigate',
        subject: '/create',
        value: null,
        attributes: {},
        context: context('scaffolder', 'scaffolder:root'),
        pluginId: 'scaffolder',
      }
    case 'api-docs':
      return {
        action: 'navigate',
        subject: '/api-docs',
        value: null,
        attributes: {},
        context: context('api-docs', 'api-docs:root'),
        pluginId: 'api-docs',
      }
    default:
      return {
        action: 'click',
        subject: 'View TechDocs',
        value: null,
        attributes: { to: `/docs/default/component/${service}` },
        context: context('catalog', 'catalog:entity'),
        pluginId: 'catalog',
      }
  }
}

/** Engineers who time the look-ups, and how many of the study kit's tasks each times. */
const STUDY_PARTICIPANTS = 8
const STUDY_TASKS = 4

/**
 * A docs find-time study run by the platform team: eight engineers of the pilot teams time four look-ups a month
 * before the launch and again two months after it (phase after: the portal's docs). Anonymised like the survey.
 */
export function studyObservations(world: World): NewStudyObservation[] {
  const random = Random.derive(world.options.seed, 'study')
  const { launch } = world.timeline
  const participants = world.people
    .filter((person) => {
      const team = teamAt(person, launch)
      return (
        person.start < addUtcDays(launch, -60) && !person.end && team !== null && world.teams[team]?.role === 'pilot'
      )
    })
    .slice(0, STUDY_PARTICIPANTS)
  const rows: NewStudyObservation[] = []
  for (const person of participants) {
    const participantKey = createHash('sha256')
      .update(`${world.options.seed}:study:${person.index}`)
      .digest('hex')
      .slice(0, 20)
    const pace = random.logNormal(1, 0.25)
    for (const task of DEFAULT_STUDY_TASKS.slice(0, STUDY_TASKS)) {
      for (const phase of ['before', 'after'] as const) {
        const median = DEMO_EFFECTS.docsLookupSeconds[phase]
        const day = addUtcDays(launch, phase === 'before' ? -30 : 60)
        rows.push({
          task,
          participantKey,
          phase,
          seconds: Math.round(median * pace * random.logNormal(1, 0.35)),
          found: random.chance(phase === 'before' ? 0.8 : 0.95),
          source: 'demo',
          recordedAt: workingMoment(random, addUtcDays(day, random.int(0, 4))),
        })
      }
    }
  }
  return rows
}

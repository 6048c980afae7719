// The Experience page's read model: the pulse survey per wave and per question, response rates, per team
// where a team has at least five respondents, and the selected waves against the comparison waves. Every
// group of fewer than five respondents is withheld, here and wherever this model is shown or exported.
import 'server-only'
import { getDb, type Db } from '@/db/client'
import { countInvited, listAnswers, listWaves } from '@/db/queries/experience'
import { listTeams } from '@/db/queries/organisation'
import { weeklyPoints, type WeekMarker, type WeeklyPoint } from '@/lib/charts/weekly-series'
import { parseIsoDate, startOfUtcWeek, toIsoDate, type Interval } from '@/lib/dates'
import { comparableMetric, type ScoredMetric } from '@/lib/metrics/comparable'
import { compareWindows, withClaims, type CellFigure, type Outcome } from '@/lib/metrics/compare'
import { groupScore, questionScores, respondents, responseRate, type GroupScore } from '@/lib/metrics/experience'
import { wholeWeeks } from '@/lib/metrics/windows'
import { seedFrom } from '@/lib/stats/random'
import { getChartMarkers, getChartSpan } from './chart-span'
import type { Filters } from './filters'
import { pageRead, type Question } from './read-cache'

export interface WaveView {
  id: number
  key: string
  title: string
  opensOn: string
  invited: number
  respondents: number
  responseRate: number | null
  dxScore: GroupScore
  questions: { question: string; result: GroupScore }[]
  byTeam: { teamId: number; name: string; result: GroupScore }[]
}

/** What each pulse question asks, as the page names it (the survey stores a key). */
export const QUESTION_LABELS: Readonly<Record<string, string>> = {
  overall: 'Developer experience overall',
  find_docs: 'Finding documentation',
  ship_confidence: 'Confidence to ship',
  tooling: 'Tooling',
  onboarding_support: 'Support when onboarding',
  focus_time: 'Time to focus',
}

/** A question's label; an unknown key (a custom survey) reads as its words: "team_rituals" → "Team rituals". */
export function questionLabel(key: string): string {
  const words = key.replaceAll('_', ' ').trim()
  return QUESTION_LABELS[key] ?? words.charAt(0).toUpperCase() + words.slice(1)
}

export interface Experience {
  interval: Interval
  comparison: Interval | null
  waves: WaveView[]
  /** Per question: the waves compared with pooled (before) and the waves shown pooled (now). */
  questions: { question: string; label: string; before: GroupScore | null; now: GroupScore }[]
  /** The DX score of every wave from the first compared with to the last shown, at the week it opened. */
  trend: WeeklyPoint[]
  markers: WeekMarker[]
  change: { figures: { baseline: CellFigure; evaluation: CellFigure }; outcome: Outcome; confirmed: boolean } | null
}

export async function getExperience(
  filters: Filters,
  { db = getDb(), replicates }: { db?: Db; replicates?: number } = {},
): Promise<Experience> {
  const interval = wholeWeeks(filters.interval)
  const comparison = filters.comparison ? wholeWeeks(filters.comparison) : null
  const span = await getChartSpan(db, interval, comparison)
  const [waves, previousWaves, teams, betweenWaves, markers] = await Promise.all([
    listWaves(db, interval),
    comparison ? listWaves(db, comparison) : Promise.resolve([]),
    listTeams(db),
    span.between ? listWaves(db, span.between) : Promise.resolve([]),
    getChartMarkers(db, span, filters.teamIds),
  ])
  const waveIds = waves.map((wave) => wave.id)
  const previousIds = previousWaves.map((wave) => wave.id)
  const [answers, previousAnswers, invited, betweenAnswers] = await Promise.all([
    listAnswers(db, { waveIds, teamIds: filters.teamIds }),
    listAnswers(db, { waveIds: previousIds, teamIds: filters.teamIds }),
    countInvited(db, { waveIds, teamIds: filters.teamIds }),
    listAnswers(db, {
      waveIds: betweenWaves.map((wave) => wave.id).filter((id) => !waveIds.includes(id) && !previousIds.includes(id)),
      teamIds: filters.teamIds,
    }),
  ])
  const names = new Map(teams.map((team) => [team.id, team.name]))
  const views = waves.map((wave): WaveView => {
    const waveAnswers = answers.filter((answer) => answer.waveId === wave.id)
    const people = respondents(waveAnswers)
    const asked = invited.filter((row) => row.waveId === wave.id).reduce((sum, row) => sum + row.invited, 0)
    const teamIds = [...new Set(people.map((person) => person.teamId).filter((id): id is number => id !== null))].sort(
      (a, b) => a - b,
    )
    return {
      id: wave.id,
      key: wave.key,
      title: wave.title,
      opensOn: wave.opensOn,
      invited: asked,
      respondents: people.length,
      responseRate: responseRate(people.length, asked),
      dxScore: groupScore(people),
      questions: questionScores(waveAnswers),
      byTeam: teamIds.map((teamId) => ({
        teamId,
        name: names.get(teamId) ?? `team ${teamId}`,
        result: groupScore(people.filter((person) => person.teamId === teamId)),
      })),
    }
  })
  const metric = comparableMetric('dx_score') as ScoredMetric
  const scored = (list: typeof answers) => respondents(list).map((person) => ({ value: person.score }))
  // every wave drawn once, at the week it opened (a wave in both windows is one wave)
  const allAnswers = [
    ...answers,
    ...previousAnswers.filter((answer) => !waveIds.includes(answer.waveId)),
    ...betweenAnswers,
  ]
  const scoreByWeek = new Map<string, number | null>()
  for (const wave of [...previousWaves, ...betweenWaves, ...waves]) {
    const result = groupScore(respondents(allAnswers.filter((answer) => answer.waveId === wave.id)))
    scoreByWeek.set(toIsoDate(startOfUtcWeek(parseIsoDate(wave.opensOn))), result.withheld ? null : result.score)
  }
  const before = new Map(comparison ? questionScores(previousAnswers).map((row) => [row.question, row.result]) : [])
  return {
    interval,
    comparison,
    waves: views,
    questions: questionScores(answers).map((row) => ({
      question: row.question,
      label: questionLabel(row.question),
      before: comparison ? (before.get(row.question) ?? null) : null,
      now: row.result,
    })),
    trend: weeklyPoints(span.weeks, ['dxScore'], (week) =>
      scoreByWeek.has(week) ? { dxScore: scoreByWeek.get(week) ?? null } : undefined,
    ),
    markers,
    change: comparison
      ? (withClaims([
          {
            key: 'dx_score',
            ...compareWindows(
              metric,
              { baseline: scored(previousAnswers), evaluation: scored(answers) },
              seedFrom(`experience:${JSON.stringify(filters)}`),
              replicates,
            ),
          },
        ])[0] ?? null)
      : null,
  }
}

/** The question the Experience page asks for `filters`; its unfiltered view is a standing answer (lib/data/standing.ts). */
export function experienceQuestion(filters: Filters, { db }: { db?: Db } = {}): Question<Experience> {
  return { name: 'experience', inputs: filters, args: filters, compute: () => getExperience(filters, { db }) }
}

/**
 * getExperience, cached until the data changes (lib/data/read-cache.ts): what the page calls. The page's unfiltered
 * view (`standing`) is a standing answer: after a change it shows its last figures while the new ones compute.
 */
export function readExperience(filters: Filters, { standing = false }: { standing?: boolean } = {}) {
  return pageRead(experienceQuestion(filters), { standing })
}

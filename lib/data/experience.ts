// The Experience page's read model: the pulse survey per wave and per question, response rates, per team
// where a team has at least five respondents, and the selected waves against the comparison waves. Every
// group of fewer than five respondents is withheld, here and wherever this model is shown or exported.
import 'server-only'
import { getDb, type Db } from '../../db/client'
import { countInvited, listAnswers, listWaves } from '../../db/queries/experience'
import { listTeams } from '../../db/queries/organisation'
import type { Interval } from '../dates'
import { comparableMetric, type ScoredMetric } from '../metrics/comparable'
import { compareWindows, withClaims, type CellFigure, type Outcome } from '../metrics/compare'
import { groupScore, questionScores, respondents, responseRate, type GroupScore } from '../metrics/experience'
import { wholeWeeks } from '../metrics/windows'
import { seedFrom } from '../stats/random'
import type { Filters } from './filters'
import { cachedRead } from './read-cache'

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

export interface Experience {
  interval: Interval
  comparison: Interval | null
  waves: WaveView[]
  change: { figures: { baseline: CellFigure; evaluation: CellFigure }; outcome: Outcome; confirmed: boolean } | null
}

export async function getExperience(filters: Filters, { db = getDb(), replicates }: { db?: Db; replicates?: number } = {}): Promise<Experience> {
  const interval = wholeWeeks(filters.interval)
  const comparison = filters.comparison ? wholeWeeks(filters.comparison) : null
  const [waves, previousWaves, teams] = await Promise.all([listWaves(db, interval), comparison ? listWaves(db, comparison) : Promise.resolve([]), listTeams(db)])
  const waveIds = waves.map((wave) => wave.id)
  const previousIds = previousWaves.map((wave) => wave.id)
  const [answers, previousAnswers, invited] = await Promise.all([
    listAnswers(db, { waveIds, teamIds: filters.teamIds }),
    listAnswers(db, { waveIds: previousIds, teamIds: filters.teamIds }),
    countInvited(db, { waveIds, teamIds: filters.teamIds }),
  ])
  const names = new Map(teams.map((team) => [team.id, team.name]))
  const views = waves.map((wave): WaveView => {
    const waveAnswers = answers.filter((answer) => answer.waveId === wave.id)
    const people = respondents(waveAnswers)
    const asked = invited.filter((row) => row.waveId === wave.id).reduce((sum, row) => sum + row.invited, 0)
    const teamIds = [...new Set(people.map((person) => person.teamId).filter((id): id is number => id !== null))].sort((a, b) => a - b)
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
      byTeam: teamIds.map((teamId) => ({ teamId, name: names.get(teamId) ?? `team ${teamId}`, result: groupScore(people.filter((person) => person.teamId === teamId)) })),
    }
  })
  const metric = comparableMetric('dx_score') as ScoredMetric
  const scored = (list: typeof answers) => respondents(list).map((person) => ({ value: person.score }))
  return {
    interval,
    comparison,
    waves: views,
    change: comparison
      ? (withClaims([{ key: 'dx_score', ...compareWindows(metric, { baseline: scored(previousAnswers), evaluation: scored(answers) }, seedFrom(`experience:${JSON.stringify(filters)}`), replicates) }])[0] ?? null)
      : null,
  }
}

/** getExperience, cached until the data changes (lib/data/read-cache.ts): what the page calls. */
export function readExperience(filters: Filters): Promise<Experience> {
  return cachedRead('experience', filters, () => getExperience(filters))
}

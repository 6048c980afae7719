import { sql } from 'drizzle-orm'
import { toIsoDate } from '@/lib/dates'
import type { Db } from '@/db/client'
import { teamFilter } from './team-filter'

export interface WaveRow {
  id: number
  key: string
  title: string
  opensOn: string
  closesOn: string
}

/** Survey waves that opened in [from, to). */
export async function listWaves(db: Db, { from, to }: { from: Date; to: Date }): Promise<WaveRow[]> {
  const rows = await db.execute<{ id: number; key: string; title: string; opens_on: string; closes_on: string }>(sql`
    select id::int, key, title, to_char(opens_on, 'YYYY-MM-DD') as opens_on, to_char(closes_on, 'YYYY-MM-DD') as closes_on
    from survey_waves where opens_on >= ${toIsoDate(from)}::date and opens_on < ${toIsoDate(to)}::date order by opens_on`)
  return rows.map((row) => ({
    id: row.id,
    key: row.key,
    title: row.title,
    opensOn: row.opens_on,
    closesOn: row.closes_on,
  }))
}

export interface SurveyAnswerRow {
  waveId: number
  respondentKey: string
  teamId: number | null
  question: string
  score: number
}

/** Every answer of the given waves (from the given teams). */
export async function listAnswers(
  db: Db,
  { waveIds, teamIds }: { waveIds: number[]; teamIds?: number[] },
): Promise<SurveyAnswerRow[]> {
  if (waveIds.length === 0) return []
  const rows = await db.execute<{
    wave_id: number
    respondent_key: string
    team_id: number | null
    question: string
    score: number
  }>(sql`
    select wave_id::int, respondent_key, team_id::int, question, score::int
    from survey_responses
    where wave_id in ${waveIds} and ${teamFilter(sql`team_id`, teamIds)}`)
  return rows.map((row) => ({
    waveId: row.wave_id,
    respondentKey: row.respondent_key,
    teamId: row.team_id,
    question: row.question,
    score: row.score,
  }))
}

/** Engineers in each team on each wave's opening day: who was asked. */
export async function countInvited(
  db: Db,
  { waveIds, teamIds }: { waveIds: number[]; teamIds?: number[] },
): Promise<{ waveId: number; teamId: number; invited: number }[]> {
  if (waveIds.length === 0) return []
  const rows = await db.execute<{ wave_id: number; team_id: number; invited: number }>(sql`
    select w.id::int as wave_id, m.team_id::int, count(*)::int as invited
    from survey_waves w
    join team_memberships m on m.valid_from <= w.opens_on and (m.valid_to is null or m.valid_to > w.opens_on)
    where w.id in ${waveIds} and ${teamFilter(sql`m.team_id`, teamIds)}
    group by w.id, m.team_id`)
  return rows.map((row) => ({ waveId: row.wave_id, teamId: row.team_id, invited: row.invited }))
}

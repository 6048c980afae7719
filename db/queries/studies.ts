// The docs find-time study's observations (study_observations): one participant timing one task, before or
// after. A participant is stored only as a salted hash (the survey's salt, db/queries/imports.ts), the same for
// the stopwatch form and a CSV, so one person's before and after pair up and their name is never kept. Writes
// replace a row by task, participant and phase; the table's triggers move the data version, so read models
// that read it refresh.
import { sql } from 'drizzle-orm'
import type { Db } from '@/db/client'
import type { StudyPhase } from '@/lib/domain'
import { getSurveySalt, respondentKey, type WriteCounts } from './imports'

/** The longest task a study names, and the longest time it records (8 hours: a look-up, not a project). */
export const STUDY_TASK_MAX = 200
export const STUDY_PARTICIPANT_MAX = 200
export const STUDY_SECONDS_MAX = 8 * 60 * 60

export interface StudyObservationInput {
  task: string
  /** A name, e-mail or any stable id as typed; only its salted hash is stored. */
  participant: string
  phase: StudyPhase
  seconds: number
  found: boolean
  source: 'form' | 'csv'
}

export interface StoredStudyObservation {
  id: number
  task: string
  participantKey: string
  phase: StudyPhase
  seconds: number
  found: boolean
  source: string
  recordedAt: Date
}

/** A participant's key: the same person typed in any case or spacing is one participant, before and after. */
export function studyParticipantKey(salt: string, participant: string): string {
  return respondentKey(salt, 'study', participant.trim().replace(/\s+/g, ' ').toLowerCase())
}

/**
 * Records observations, each replacing the one of the same task, participant and phase (a re-timed task, or
 * a CSV imported again, duplicates nothing); one statement, so the caller's transaction makes it all or none.
 */
export async function recordStudyObservations(db: Db, rows: StudyObservationInput[]): Promise<WriteCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0 }
  const salt = await getSurveySalt(db)
  const keyed = rows.map(({ participant, ...row }) => ({
    ...row,
    participantKey: studyParticipantKey(salt, participant),
  }))
  const written = await db.execute<{ inserted: boolean }>(sql`
    insert into study_observations (task, participant_key, phase, seconds, found, source)
    select r.task, r."participantKey", r.phase::study_phase, r.seconds, r.found, r.source
    from jsonb_to_recordset(${JSON.stringify(keyed)}::jsonb) as r(task text, "participantKey" text, phase text, seconds double precision, found boolean, source text)
    on conflict (task, participant_key, phase) do update set seconds = excluded.seconds, found = excluded.found, source = excluded.source, recorded_at = now()
      where (study_observations.seconds, study_observations.found) is distinct from (excluded.seconds, excluded.found)
    returning xmax = 0 as inserted`)
  return {
    inserted: written.filter((row) => row.inserted).length,
    updated: written.filter((row) => !row.inserted).length,
  }
}

/** Every observation, by task, phase and when it was recorded. */
export async function listStudyObservations(db: Db): Promise<StoredStudyObservation[]> {
  const rows = await db.execute<{
    id: number
    task: string
    participant_key: string
    phase: StudyPhase
    seconds: number
    found: boolean
    source: string
    recorded_at: string
  }>(sql`
    select id::int, task, participant_key, phase::text as phase, seconds, found, source, recorded_at
    from study_observations order by task, phase, recorded_at, id`)
  return rows.map((row) => ({
    id: row.id,
    task: row.task,
    participantKey: row.participant_key,
    phase: row.phase,
    seconds: Number(row.seconds),
    found: row.found,
    source: row.source,
    recordedAt: new Date(row.recorded_at),
  }))
}

/** Deletes one observation (an admin's correction); whether it existed. */
export async function deleteStudyObservation(db: Db, { id }: { id: number }): Promise<boolean> {
  const deleted = await db.execute(sql`delete from study_observations where id = ${id} returning id`)
  return deleted.length > 0
}

/** Whether any study time is recorded: a page that shows the study's finding then states one more verdict. */
export async function hasStudyObservations(db: Db): Promise<boolean> {
  const [row] = await db.execute<{ any: boolean }>(sql`select exists (select 1 from study_observations) as any`)
  return row?.any === true
}

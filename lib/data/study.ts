// The docs find-time study kit's read model: the tasks to time, the study's figures (per task and overall, with
// their intervals, scaled to engineer-hours and FTEs with the assumptions shown), and the observations an admin
// may correct; and the stopwatch form (every field checked with a message naming it, the participant stored
// only as a salted hash). Server-only; the caller checks who may record and who may delete.
import 'server-only'
import { z } from 'zod'
import { getDb, type Db } from '@/db/client'
import { readFormId } from '@/lib/data/form-id'
import { countForRoi } from '@/db/queries/roi'
import {
  deleteStudyObservation,
  listStudyObservations,
  recordStudyObservations,
  STUDY_PARTICIPANT_MAX,
  STUDY_SECONDS_MAX,
  STUDY_TASK_MAX,
} from '@/db/queries/studies'
import { studyPhases, type StudyPhase } from '@/lib/domain'
import { DEFAULT_STUDY_TASKS } from '@/lib/domain'
import type { StudyFigures } from '@/lib/metrics/study'
import { pageRead, type Question } from './read-cache'
import { docsStudy, getRoiAssumptions } from './roi'

export interface StudyObservationView {
  id: number
  task: string
  /** The first characters of the participant's salted hash: enough to tell rows apart, never a name. */
  participant: string
  phase: StudyPhase
  seconds: number
  found: boolean
  source: string
  recordedAt: Date
}

export interface StudyPage {
  figures: StudyFigures
  /** The tasks the form offers: those already timed, then the defaults not yet timed. */
  tasks: string[]
  observations: StudyObservationView[]
}

export async function getStudyPage({
  db = getDb(),
  now = new Date(),
}: { db?: Db; now?: Date } = {}): Promise<StudyPage> {
  const [observations, assumptions, counts] = await Promise.all([
    listStudyObservations(db),
    getRoiAssumptions({ db }),
    countForRoi(db, { asOf: now }),
  ])
  const timed = [...new Set(observations.map((row) => row.task))].sort()
  return {
    figures: docsStudy(observations, assumptions.values, counts.engineers),
    tasks: [...timed, ...DEFAULT_STUDY_TASKS.filter((task) => !timed.includes(task))],
    observations: observations.map((row) => ({
      id: row.id,
      task: row.task,
      participant: row.participantKey.slice(0, 8),
      phase: row.phase,
      seconds: row.seconds,
      found: row.found,
      source: row.source,
      recordedAt: row.recordedAt,
    })),
  }
}

/** The study kit's question: one view for everybody, computed on the worker pool like every page's figures. */
export function studyQuestion({ db }: { db?: Db } = {}): Question<StudyPage> {
  return { name: 'study', inputs: null, args: null, compute: () => getStudyPage({ db }) }
}

/** getStudyPage, cached until the data changes (a recorded or deleted time moves the data version). */
export function readStudyPage(): Promise<StudyPage> {
  return pageRead(studyQuestion(), { standing: false })
}

export interface StudyFormState {
  values: Record<string, string>
  errors: Record<string, string>
  message: string | null
  /** True when the time was recorded (the form then clears the stopwatch and keeps the participant). */
  saved: boolean
}

const formSchema = z.object({
  participant: z
    .string()
    .trim()
    .min(1, 'Participant: type your name or e-mail (only a salted hash of it is stored)')
    .max(STUDY_PARTICIPANT_MAX, `Participant: at most ${STUDY_PARTICIPANT_MAX} characters`),
  task: z
    .string()
    .trim()
    .min(1, 'Task: choose or type the task you timed')
    .max(STUDY_TASK_MAX, `Task: at most ${STUDY_TASK_MAX} characters`)
    .transform((task) => task.replace(/\s+/g, ' ')),
  phase: z.enum(studyPhases, { message: 'Phase: choose before or after' }),
  seconds: z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, 'Seconds: start and stop the stopwatch, or type the seconds it took')
    .transform(Number)
    .refine((seconds) => seconds > 0, 'Seconds: must be more than 0')
    .refine((seconds) => seconds <= STUDY_SECONDS_MAX, `Seconds: at most ${STUDY_SECONDS_MAX} (8 hours)`),
  found: z.enum(['yes', 'no'], { message: 'Found: say whether you found it' }),
})

/** Checks the stopwatch form and records the time (replacing this participant's time for the task and phase). */
export async function submitStudyObservation(
  form: FormData,
  { db = getDb() }: { db?: Db } = {},
): Promise<StudyFormState> {
  const field = (name: string) => {
    const value = form.get(name)
    return typeof value === 'string' ? value : ''
  }
  const values = Object.fromEntries(
    ['participant', 'task', 'phase', 'seconds', 'found'].map((name) => [name, field(name)]),
  )
  const parsed = formSchema.safeParse(values)
  if (!parsed.success) {
    const errors: Record<string, string> = {}
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0])
      errors[name] ??= issue.message
    }
    return { values, errors, message: 'Nothing was recorded: fix the fields marked below.', saved: false }
  }
  const { participant, task, phase, seconds, found } = parsed.data
  const written = await recordStudyObservations(db, [
    { task, participant, phase, seconds, found: found === 'yes', source: 'form' },
  ])
  const minutes = (seconds / 60).toFixed(1)
  return {
    // the participant stays for their next task; the time and task clear
    values: { participant, task: '', phase, seconds: '', found: '' },
    errors: {},
    message:
      written.updated > 0
        ? `Replaced your earlier ${phase} time for “${task}” with ${minutes} minutes.`
        : `Recorded ${minutes} minutes ${phase} for “${task}”.`,
    saved: true,
  }
}

export interface StudyDeleteResult {
  ok: boolean
  message: string
}

export async function removeStudyObservation(
  form: FormData,
  { db = getDb() }: { db?: Db } = {},
): Promise<StudyDeleteResult> {
  const id = readFormId(form)
  if (id === null) return { ok: false, message: 'Choose a time to delete.' }
  return (await deleteStudyObservation(db, { id }))
    ? { ok: true, message: 'Time deleted.' }
    : { ok: false, message: 'That time was already deleted.' }
}

// The study CSV kind (docs/imports.md): the docs find-time study's recorded times, participants stored as a
// salted hash.
import { z } from 'zod'
import { recordStudyObservations, STUDY_SECONDS_MAX, STUDY_TASK_MAX } from '@/db/queries/studies'
import { studyPhases } from '@/lib/domain'
import { text } from '@/collectors/csv/cells'
import type { KindSpec } from '@/collectors/csv/kinds'

/** The docs find-time study (docs/metrics.md): a participant's time for a task, before or after. */
export const studyRow = z
  .object({
    task: text(STUDY_TASK_MAX).transform((task) => task.trim().replace(/\s+/g, ' ')),
    participant: text(200),
    phase: z.enum(studyPhases, { message: 'must be before or after' }),
    seconds: z.coerce
      .number({ message: 'must be a number of seconds' })
      .finite('must be a number of seconds')
      .positive('must be more than 0')
      .max(STUDY_SECONDS_MAX, `must be at most ${STUDY_SECONDS_MAX.toLocaleString('en')} (8 hours)`),
    found: z
      .enum(['yes', 'no', 'true', 'false', '1', '0'], { message: 'must be yes or no' })
      .transform((value) => ['yes', 'true', '1'].includes(value)),
  })
  .transform((row) => ({
    task: row.task,
    participant: row.participant,
    phase: row.phase,
    seconds: row.seconds,
    found: row.found,
  }))
export const studyKind: KindSpec<z.infer<typeof studyRow>> = {
  kind: 'study',
  columns: [
    { name: 'task', required: true, description: 'what the participant had to find, the same words before and after' },
    {
      name: 'participant',
      required: true,
      description: 'name, e-mail or any stable id; stored only as a salted hash, the same before and after',
    },
    { name: 'phase', required: true, description: 'before or after (the portal’s docs)' },
    { name: 'seconds', required: true, description: 'time to find it, or to give up' },
    { name: 'found', required: true, description: 'yes or no' },
  ],
  row: studyRow,
  key: (row) => `${row.task}|${row.participant.trim().replace(/\s+/g, ' ').toLowerCase()}|${row.phase}`,
  keyLabel: 'task, participant and phase',
  references: () => ({}),
  write(rows, { tx }) {
    return recordStudyObservations(
      tx,
      rows.map((row) => ({ ...row, source: 'csv' as const })),
    )
  },
}

// The survey CSV kind (docs/imports.md): one score per respondent, question and wave; respondents stored as a
// salted hash.
import { z } from 'zod'
import { getSurveySalt, importSurveyResponses, respondentKey } from '@/db/queries/imports'
import { day, instant, slug, text } from '@/collectors/csv/cells'
import type { KindSpec } from '@/collectors/csv/kinds'

const surveyRow = z
  .object({
    wave: z.string().regex(/^[\w.-]{1,40}$/, 'must be a wave key, e.g. 2026-Q1'),
    wave_title: text(200).optional(),
    opens_on: day.optional(),
    closes_on: day.optional(),
    respondent: text(200),
    team: slug.optional(),
    question: z.string().regex(/^[a-z][a-z0-9_]{0,59}$/, 'must be a question key, e.g. ease_of_delivery'),
    score: z.coerce.number().int('must be a whole number').min(1, 'must be 1 to 10').max(10, 'must be 1 to 10'),
    submitted_at: instant,
  })
  .transform((row) => ({
    wave: row.wave,
    waveTitle: row.wave_title,
    opensOn: row.opens_on,
    closesOn: row.closes_on,
    respondent: row.respondent,
    team: row.team,
    question: row.question,
    score: row.score,
    submittedAt: row.submitted_at,
  }))
export const surveyKind: KindSpec<z.infer<typeof surveyRow>> = {
  kind: 'survey',
  columns: [
    { name: 'wave', required: true, description: 'survey wave key, e.g. 2026-Q1' },
    { name: 'wave_title', required: false, description: 'the wave’s title' },
    { name: 'opens_on', required: false, description: 'YYYY-MM-DD', time: 'planned' },
    { name: 'closes_on', required: false, description: 'YYYY-MM-DD', time: 'planned' },
    {
      name: 'respondent',
      required: true,
      description: 'any stable id of the respondent; stored only as a salted hash, per wave',
    },
    { name: 'team', required: false, description: 'the respondent’s team slug' },
    { name: 'question', required: true, description: 'question key' },
    { name: 'score', required: true, description: '1 to 10' },
    { name: 'submitted_at', required: true, description: 'time with zone', time: 'event' },
  ],
  row: surveyRow,
  key: (row) => `${row.wave}|${row.respondent}|${row.question}`,
  keyLabel: 'wave, respondent and question',
  references: (row) => ({ teams: row.team ? [row.team] : [] }),
  async write(rows, { tx }) {
    const salt = await getSurveySalt(tx)
    return importSurveyResponses(
      tx,
      rows.map(({ respondent, ...row }) => ({ ...row, respondentKey: respondentKey(salt, row.wave, respondent) })),
    )
  },
}

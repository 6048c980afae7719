import { describe, expect, it } from 'vitest'
import { kindSpecs } from '@/collectors/csv/kinds'
import { studyRow } from '@/collectors/csv/study-kind'

describe('a study CSV row', () => {
  it('reads found yes/no, seconds as a number, and squeezes the task’s spaces', () => {
    expect(
      studyRow.parse({
        task: '  Find the  on-call runbook ',
        participant: 'Ada',
        phase: 'before',
        seconds: '412.5',
        found: 'no',
      }),
    ).toEqual({ task: 'Find the on-call runbook', participant: 'Ada', phase: 'before', seconds: 412.5, found: false })
    expect(studyRow.parse({ task: 't', participant: 'a', phase: 'after', seconds: '60', found: 'yes' }).found).toBe(
      true,
    )
  })

  it('names each bad column: a phase, seconds that are not a time, found that is not yes or no, a missing participant', () => {
    const parsed = studyRow.safeParse({ task: 't', phase: 'during', seconds: '-3', found: 'maybe' })
    expect(parsed.error?.issues.map((issue) => [issue.path[0], issue.message])).toEqual([
      ['participant', expect.any(String)],
      ['phase', 'must be before or after'],
      ['seconds', 'must be more than 0'],
      ['found', 'must be yes or no'],
    ])
    expect(
      studyRow.safeParse({ task: 't', participant: 'a', phase: 'after', seconds: 'ten', found: 'yes' }).error?.issues[0]
        ?.message,
    ).toBe('must be a number of seconds')
    expect(
      studyRow.safeParse({ task: 't', participant: 'a', phase: 'after', seconds: '28801', found: 'yes' }).error
        ?.issues[0]?.message,
    ).toBe('must be at most 28,800 (8 hours)')
  })

  it('keys a row by task, participant (any case or spacing) and phase, so a person is timed once per phase', () => {
    const spec = kindSpecs.study as unknown as { key(row: unknown): string }
    const row = (participant: string, phase: string) =>
      studyRow.parse({ task: 't', participant, phase, seconds: '5', found: 'yes' })
    expect(spec.key(row('Ada  Lovelace', 'before'))).toBe(spec.key(row('ada lovelace', 'before')))
    expect(spec.key(row('Ada', 'before'))).not.toBe(spec.key(row('Ada', 'after')))
  })
})

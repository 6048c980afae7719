import { describe, expect, it } from 'vitest'
import { pullRequestRow } from '@/collectors/csv/pull-requests-kind'

describe('a pull-requests CSV row', () => {
  it('derives the state from the times, closes a merged one at its merge, and writes SHAs in lower case', () => {
    expect(
      pullRequestRow.parse({
        id: '42',
        repository: 'acme-gl/checkout',
        author: 'Ada@Acme.example',
        created_at: '2026-03-02T10:00:00+01:00',
        first_commit_at: '2026-03-02 08:00:00Z',
        merged_at: '2026-03-03T10:00:00Z',
        merge_commit_sha: 'ABCDEF1',
        additions: '12',
      }),
    ).toEqual({
      id: 42,
      repository: 'acme-gl/checkout',
      title: undefined,
      author: 'Ada@Acme.example',
      state: 'merged',
      openedAt: '2026-03-02T09:00:00.000Z',
      firstCommitAt: '2026-03-02T08:00:00.000Z',
      firstReviewAt: undefined,
      approvedAt: undefined,
      mergedAt: '2026-03-03T10:00:00.000Z',
      closedAt: '2026-03-03T10:00:00.000Z',
      mergeCommitSha: 'abcdef1',
      headSha: undefined,
      additions: 12,
      deletions: undefined,
    })
    expect(pullRequestRow.parse({ id: '7', repository: 'a/b', created_at: '2026-03-02T10:00:00Z' }).state).toBe('open')
    expect(
      pullRequestRow.parse({
        id: '7',
        repository: 'a/b',
        created_at: '2026-03-02T10:00:00Z',
        closed_at: '2026-03-04T10:00:00Z',
      }).state,
    ).toBe('closed')
  })

  it('is lenient with messy exports (a review before the opening) but names what cannot happen', () => {
    expect(
      pullRequestRow.safeParse({
        id: '7',
        repository: 'a/b',
        created_at: '2026-03-02T10:00:00Z',
        first_review_at: '2026-03-02T09:00:00Z',
      }).success,
    ).toBe(true)
    const parsed = pullRequestRow.safeParse({
      id: '7',
      repository: 'a/b',
      created_at: '2026-03-05T10:00:00Z',
      first_commit_at: '2026-03-06T10:00:00Z',
      merged_at: '2026-03-04T10:00:00Z',
      closed_at: '2026-03-04T10:00:00Z',
    })
    expect(parsed.error?.issues.map((issue) => [issue.path[0], issue.message])).toEqual([
      ['merged_at', 'is before created_at'],
      ['closed_at', 'is before created_at'],
      ['first_commit_at', 'is after merged_at'],
    ])
    const bad = pullRequestRow.safeParse({ id: '0', repository: 'a', created_at: '2026-03-05', additions: '-1' })
    expect(bad.error?.issues.map((issue) => issue.path[0])).toEqual(['id', 'repository', 'created_at', 'additions'])
  })
})

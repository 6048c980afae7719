import { describe, expect, it } from 'vitest'
import { milestoneRow } from './kinds'
import { pullRequestRow, serviceRow } from './kinds'

describe('a milestones CSV row', () => {
  it('splits teams on ";" or "|", trims and drops repeats; an empty cell (absent) is every team', () => {
    expect(
      milestoneRow.parse({
        kind: 'catalog_launch',
        occurred_on: '2026-03-02',
        name: 'Catalog',
        teams: ' Checkout ;payments| Checkout|',
        note: 'pilot',
      }),
    ).toEqual({
      kind: 'catalog_launch',
      occurredOn: '2026-03-02',
      name: 'Catalog',
      teams: ['Checkout', 'payments'],
      note: 'pilot',
    })
    expect(milestoneRow.parse({ kind: 'portal_launch', occurred_on: '2026-03-02', name: 'Launch' })).toEqual({
      kind: 'portal_launch',
      occurredOn: '2026-03-02',
      name: 'Launch',
      teams: [],
      note: null,
    })
  })

  it('names each bad column: an unknown kind, a day that does not exist, a missing name', () => {
    const parsed = milestoneRow.safeParse({ kind: 'launch', occurred_on: '2026-02-30' })
    expect(parsed.error?.issues.map((issue) => [issue.path[0], issue.message])).toEqual([
      ['kind', 'must be one of portal_launch, catalog_launch, techdocs_launch, scaffolder_launch, other'],
      ['occurred_on', 'is not a real date'],
      ['name', expect.any(String)],
    ])
  })
})

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

describe('a services CSV row', () => {
  it('completes a template’s ref as Backstage does: service-node is template:default/service-node', () => {
    expect(
      serviceRow.parse({
        service: 'component:default/cart',
        team: 'payments',
        origin: 'template',
        template: 'service-node',
        requested_at: '2026-03-17T10:00:00Z',
        live_at: '2026-03-17T10:00:45Z',
      }),
    ).toEqual({
      service: 'component:default/cart',
      name: undefined,
      team: 'payments',
      origin: 'template',
      template: 'template:default/service-node',
      requestedAt: '2026-03-17T10:00:00.000Z',
      liveAt: '2026-03-17T10:00:45.000Z',
    })
    expect(
      serviceRow.parse({
        service: 'component:default/cart',
        team: 'payments',
        origin: 'template',
        template: 'Template:platform/node',
        live_at: '2026-03-17T10:00:45Z',
      }).template,
    ).toBe('template:platform/node')
  })

  it('names each bad column: origin, a template on a hand-made service, live before requested', () => {
    expect(
      serviceRow
        .safeParse({ service: 'x', team: 'Payments', origin: 'by-hand', live_at: '2026-03-17T10:00:45Z' })
        .error?.issues.map((issue) => issue.path[0]),
    ).toEqual(['service', 'team', 'origin'])
    const parsed = serviceRow.safeParse({
      service: 'component:default/a',
      team: 'payments',
      origin: 'manual',
      template: 'service-node',
      requested_at: '2026-03-18T10:00:00Z',
      live_at: '2026-03-17T10:00:00Z',
    })
    expect(parsed.error?.issues.map((issue) => [issue.path[0], issue.message])).toEqual([
      ['template', 'is only for a service made from a template (origin template)'],
      ['live_at', 'is before requested_at'],
    ])
  })
})

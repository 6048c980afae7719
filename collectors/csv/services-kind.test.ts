import { describe, expect, it } from 'vitest'
import { serviceRow } from '@/collectors/csv/services-kind'

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

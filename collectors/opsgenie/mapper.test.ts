import { describe, expect, it } from 'vitest'
import type { OpsgenieIncident } from './api-types'
import { impacts, isResolved, mapIncident, resolutionInLogs, resolutionOf } from './mapper'

const incident = (overrides: Partial<OpsgenieIncident> = {}): OpsgenieIncident => ({
  id: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeee0041',
  tinyId: '3',
  message: 'Example Token Incident',
  description: 'summary',
  status: 'resolved',
  priority: 'P3',
  createdAt: '2023-09-26T17:06:16.824Z',
  updatedAt: '2023-09-26T17:49:10.17Z',
  impactedServices: ['aaaaaaaa-bbbb-cccc-dddd-eeeeeeee0052'],
  impactStartDate: '2023-09-26T17:06:16.824Z',
  impactEndDate: '2023-09-26T17:45:25.719Z',
  extraProperties: {},
  links: { web: 'https://app.opsgenie.com/incident/detail/aaaaaaaa-bbbb-cccc-dddd-eeeeeeee0041' },
  ...overrides,
})
const context = { serviceId: 3, teamId: 7, resolvedAt: null }

describe('Opsgenie → rows', () => {
  it('a resolved incident: opened 17:06:16.824, impact ended 17:45:25.719 → 39 min 8.9 s to restore', () => {
    const row = mapIncident(incident(), { ...context, resolvedAt: resolutionOf(incident()) })
    expect(row).toEqual({
      source: 'opsgenie',
      externalId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeee0041',
      serviceId: 3,
      teamId: 7,
      title: 'Example Token Incident',
      priority: 'P3',
      urgency: null,
      status: 'resolved',
      openedAt: new Date('2023-09-26T17:06:16.824Z'),
      acknowledgedAt: null,
      resolvedAt: new Date('2023-09-26T17:45:25.719Z'),
      deploymentRef: null,
      url: 'https://app.opsgenie.com/incident/detail/aaaaaaaa-bbbb-cccc-dddd-eeeeeeee0041',
    })
    expect((row.resolvedAt as Date).getTime() - (row.openedAt as Date).getTime()).toBe(39 * 60_000 + 8_895)
  })

  it('open → triggered without a restore time, even with an impact end set; closed counts as resolved', () => {
    expect(resolutionOf(incident({ status: 'open' }))).toBeNull()
    expect(mapIncident(incident({ status: 'open' }), context)).toMatchObject({ status: 'triggered', resolvedAt: null })
    expect(isResolved(incident({ status: 'closed' }))).toBe(true)
    expect(
      mapIncident(incident({ status: 'closed' }), {
        ...context,
        resolvedAt: resolutionOf(incident({ status: 'closed' })),
      }).status,
    ).toBe('resolved')
  })

  it('a resolved incident whose resolve time is unknown falls back to its last update; never before it opened', () => {
    expect(mapIncident(incident({ impactEndDate: null }), context).resolvedAt).toEqual(
      new Date('2023-09-26T17:49:10.17Z'),
    )
    expect(mapIncident(incident(), { ...context, resolvedAt: new Date('2023-09-26T17:00:00Z') }).resolvedAt).toEqual(
      new Date('2023-09-26T17:06:16.824Z'),
    )
  })

  it('the resolve in a log: the last "resolved" entry, else the last "closed" one, in any order', () => {
    const logs = [
      { log: 'Incident closed by ada', createdAt: '2023-09-26T18:30:00Z' },
      { log: 'Incident resolved by ada', createdAt: '2023-09-26T17:45:00Z' },
      { log: 'Incident reopened', createdAt: '2023-09-26T17:30:00Z' },
      { log: 'Incident resolved by ben', createdAt: '2023-09-26T17:20:00Z' },
      { log: 'Incident created with message Example', createdAt: '2023-09-26T17:06:16Z' },
    ]
    expect(resolutionInLogs(logs)).toEqual(new Date('2023-09-26T17:45:00Z'))
    expect(resolutionInLogs(logs.filter((entry) => !/resolved/.test(entry.log)))).toEqual(
      new Date('2023-09-26T18:30:00Z'),
    )
    expect(resolutionInLogs([])).toBeNull()
  })

  it('priority P1..P5 as given, anything else → null', () => {
    expect(mapIncident(incident({ priority: 'P1' }), context).priority).toBe('P1')
    expect(mapIncident(incident({ priority: 'P9' }), context).priority).toBeNull()
    expect(mapIncident(incident({ priority: null }), context).priority).toBeNull()
  })

  it('belongs to a service it impacts, or that it was created on', () => {
    expect(impacts(incident(), 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeee0052')).toBe(true)
    expect(impacts(incident({ impactedServices: null, serviceId: 'svc-1' }), 'svc-1')).toBe(true)
    expect(impacts(incident(), 'svc-1')).toBe(false)
  })

  it('the cause: a caused_by extra property first, else "caused by <sha or deployment>" in its message or description', () => {
    expect(
      mapIncident(incident({ extraProperties: { caused_by: ' deploy-4711 ' }, message: 'caused by a1b2c3d' }), context)
        .deploymentRef,
    ).toBe('deploy-4711')
    expect(
      mapIncident(incident({ description: 'Rolled back: caused by commit 0badc0de1' }), context).deploymentRef,
    ).toBe('0badc0de1')
    expect(
      mapIncident(incident({ extraProperties: { caused_by: 'the new config' } }), context).deploymentRef,
    ).toBeNull()
  })
})

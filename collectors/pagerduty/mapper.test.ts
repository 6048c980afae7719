import { describe, expect, it } from 'vitest'
import type { PagerDutyIncident } from './api-types'
import { causedBy } from '@/collectors/incident-text'
import { firstAcknowledgement, firstAcknowledgementInLog, mapIncident, priorityOf } from './mapper'

const incident = (overrides: Partial<PagerDutyIncident> = {}): PagerDutyIncident => ({
  id: 'PT4KHLK',
  incident_number: 1234,
  title: 'The server is on fire.',
  description: 'The server is on fire.',
  status: 'resolved',
  urgency: 'high',
  created_at: '2026-03-02T10:00:00Z',
  resolved_at: '2026-03-02T10:47:00Z',
  last_status_change_at: '2026-03-02T10:47:00Z',
  priority: { id: 'P53ZZH5', summary: 'P2' },
  service: { id: 'PIJ90N7', type: 'service_reference', summary: 'My Mail Service' },
  teams: [],
  acknowledgements: [],
  html_url: 'https://acme.pagerduty.com/incidents/PT4KHLK',
  ...overrides,
})
const context = { serviceId: 3, teamId: 7, acknowledgedAt: new Date('2026-03-02T10:04:00Z') }

describe('PagerDuty → rows', () => {
  it('a resolved incident: opened 10:00, acknowledged 10:04, resolved 10:47 → 47 minutes to restore', () => {
    const row = mapIncident(incident(), context)
    expect(row).toEqual({
      source: 'pagerduty',
      externalId: 'PT4KHLK',
      serviceId: 3,
      teamId: 7,
      title: 'The server is on fire.',
      priority: 'P2',
      urgency: 'high',
      status: 'resolved',
      openedAt: new Date('2026-03-02T10:00:00Z'),
      acknowledgedAt: new Date('2026-03-02T10:04:00Z'),
      resolvedAt: new Date('2026-03-02T10:47:00Z'),
      deploymentRef: null,
      url: 'https://acme.pagerduty.com/incidents/PT4KHLK',
    })
    expect(((row.resolvedAt as Date).getTime() - (row.openedAt as Date).getTime()) / 60_000).toBe(47)
  })

  it('an open incident has no restore time; a resolved one without resolved_at falls back to its last status change', () => {
    expect(
      mapIncident(incident({ status: 'triggered', resolved_at: null }), { ...context, acknowledgedAt: null }),
    ).toMatchObject({ status: 'triggered', acknowledgedAt: null, resolvedAt: null })
    expect(
      mapIncident(incident({ resolved_at: undefined, last_status_change_at: '2026-03-02T11:00:00Z' }), context)
        .resolvedAt,
    ).toEqual(new Date('2026-03-02T11:00:00Z'))
  })

  it('never records an acknowledgement or resolve before the trigger (clock skew upstream)', () => {
    const row = mapIncident(incident({ resolved_at: '2026-03-02T09:59:00Z' }), {
      ...context,
      acknowledgedAt: new Date('2026-03-02T09:58:00Z'),
    })
    expect(row.acknowledgedAt).toEqual(new Date('2026-03-02T10:00:00Z'))
    expect(row.resolvedAt).toEqual(new Date('2026-03-02T10:00:00Z'))
  })

  it('priority P1..P5 from the name, whatever its spelling; a custom name or none → null', () => {
    expect(priorityOf({ id: 'a', summary: 'P1' })).toBe('P1')
    expect(priorityOf({ id: 'a', summary: 'sev-3' })).toBe('P3')
    expect(priorityOf({ id: 'a', summary: null, name: 'Severity 5' })).toBe('P5')
    expect(priorityOf({ id: 'a', summary: 'Critical' })).toBeNull()
    expect(priorityOf({ id: 'a', summary: 'P6' })).toBeNull()
    expect(priorityOf(null)).toBeNull()
  })

  it('urgency is high or low; anything else → null', () => {
    expect(mapIncident(incident({ urgency: 'low' }), context).urgency).toBe('low')
    expect(mapIncident(incident({ urgency: 'suppressed' }), context).urgency).toBeNull()
  })

  it('the first acknowledgement: the earliest listed on the incident, or the earliest acknowledge entry in its log', () => {
    expect(
      firstAcknowledgement(
        incident({
          status: 'acknowledged',
          acknowledgements: [{ at: '2026-03-02T10:09:00Z' }, { at: '2026-03-02T10:04:00Z' }],
        }),
      ),
    ).toEqual(new Date('2026-03-02T10:04:00Z'))
    expect(firstAcknowledgement(incident())).toBeNull()
    const log = [
      { id: 'R3', type: 'resolve_log_entry', created_at: '2026-03-02T10:47:00Z' },
      { id: 'R2', type: 'acknowledge_log_entry', created_at: '2026-03-02T10:20:00Z' },
      { id: 'R1', type: 'acknowledge_log_entry', created_at: '2026-03-02T10:04:00Z' },
      { id: 'R0', type: 'trigger_log_entry', created_at: '2026-03-02T10:00:00Z' },
    ]
    expect(firstAcknowledgementInLog(log)).toEqual(new Date('2026-03-02T10:04:00Z'))
    expect(firstAcknowledgementInLog(log.filter((entry) => entry.type !== 'acknowledge_log_entry'))).toBeNull()
  })

  it('the cause an incident names: a commit SHA or a deployment id, in its title, description or body', () => {
    expect(mapIncident(incident({ title: 'Checkout 500s caused by a1b2c3d' }), context).deploymentRef).toBe('a1b2c3d')
    expect(
      mapIncident(incident({ description: 'Caused by: commit 0123456789abcdef0123456789abcdef01234567.' }), context)
        .deploymentRef,
    ).toBe('0123456789abcdef0123456789abcdef01234567')
    expect(
      mapIncident(incident({ body: { details: { note: 'caused by deployment deploy-4711' } } }), context).deploymentRef,
    ).toBe('deploy-4711')
    expect(causedBy(['caused by deployment of the new config', 'caused by defaced cache'])).toBeNull()
    expect(causedBy(['Disk full', null, undefined])).toBeNull()
  })
})

// The incidents CSV kind (docs/imports.md): incidents from any tool, linked to the deployments that caused them.
import { z } from 'zod'
import { countIncidentsAwaitingDeployment, linkIncidents } from '@/db/queries/incident-links'
import { importIncidents } from '@/db/queries/imports'
import { entityRef, instant, slug, text } from '@/collectors/csv/cells'
import type { KindSpec } from '@/collectors/csv/kinds'

const incidentRow = z
  .object({
    id: text(200),
    service: entityRef.optional(),
    team: slug.optional(),
    title: text(500),
    priority: z.enum(['P1', 'P2', 'P3', 'P4', 'P5'], { message: 'must be P1 to P5' }).optional(),
    status: z
      .enum(['triggered', 'acknowledged', 'resolved'], { message: 'must be triggered, acknowledged or resolved' })
      .optional(),
    opened_at: instant,
    acknowledged_at: instant.optional(),
    resolved_at: instant.optional(),
    caused_by_deployment: text(200).optional(),
    url: z.string().url().optional(),
  })
  .refine((row) => row.service || row.team, {
    path: ['service'],
    message: 'one of service or team is needed to attribute the incident',
  })
  .refine((row) => !row.resolved_at || row.resolved_at >= row.opened_at, {
    path: ['resolved_at'],
    message: 'is before opened_at',
  })
  .transform((row) => ({
    id: row.id,
    service: row.service,
    team: row.team,
    title: row.title,
    priority: row.priority,
    status: row.status ?? (row.resolved_at ? 'resolved' : row.acknowledged_at ? 'acknowledged' : 'triggered'),
    openedAt: row.opened_at,
    acknowledgedAt: row.acknowledged_at,
    resolvedAt: row.resolved_at,
    causedByDeployment: row.caused_by_deployment,
    url: row.url,
  }))
export const incidentsKind: KindSpec<z.infer<typeof incidentRow>> = {
  kind: 'incidents',
  columns: [
    { name: 'id', required: true, description: 'the incident’s id in your tool' },
    { name: 'service', required: false, description: 'catalog entity ref' },
    { name: 'team', required: false, description: 'team slug (default: the service’s owner)' },
    { name: 'title', required: true, description: 'what happened' },
    { name: 'priority', required: false, description: 'P1 to P5' },
    { name: 'status', required: false, description: 'triggered, acknowledged or resolved (default: from the times)' },
    { name: 'opened_at', required: true, description: 'time with zone', time: 'event' },
    { name: 'acknowledged_at', required: false, description: 'time with zone', time: 'event' },
    { name: 'resolved_at', required: false, description: 'time with zone', time: 'event' },
    { name: 'caused_by_deployment', required: false, description: 'the deployment’s id or commit SHA, when known' },
    { name: 'url', required: false, description: 'link to the incident' },
  ],
  row: incidentRow,
  key: (row) => row.id,
  keyLabel: 'id',
  references: (row) => ({ teams: row.team ? [row.team] : [], services: row.service ? [row.service] : [] }),
  async write(rows, { tx, linkIncidentsWithinHours }) {
    const written = await importIncidents(tx, rows)
    const since = rows.reduce(
      (min, row) => (row.openedAt < min ? row.openedAt : min),
      rows[0]?.openedAt ?? new Date().toISOString(),
    )
    await linkIncidents(tx, { withinHours: linkIncidentsWithinHours, since: new Date(since) })
    const incidentsWithoutDeployment = await countIncidentsAwaitingDeployment(tx, {
      source: 'csv',
      externalIds: rows.map((row) => row.id),
    })
    return { ...written, pending: { incidentsWithoutDeployment } }
  },
}

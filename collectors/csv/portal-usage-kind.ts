// The portal-usage CSV kind (docs/imports.md): portal events, stored once each, as the events ingest stores them.
import { createHash } from 'node:crypto'
import { z } from 'zod'
import { insertPortalEvents } from '@/db/queries/portal-events'
import { instant, text } from '@/collectors/csv/cells'
import type { KindSpec } from '@/collectors/csv/kinds'

const usageRow = z
  .object({
    id: text(200).optional(),
    timestamp: instant,
    user: text(200),
    action: text(200),
    subject: z.string().max(2000).default(''),
    plugin: text(100).optional(),
    value: z.coerce.number().finite().optional(),
  })
  .transform((row) => ({
    id: row.id,
    timestamp: row.timestamp,
    user: row.user,
    action: row.action,
    subject: row.subject,
    plugin: row.plugin,
    value: row.value,
  }))
export const portalUsageKind: KindSpec<z.infer<typeof usageRow>> = {
  kind: 'portal-usage',
  columns: [
    { name: 'id', required: false, description: 'event id (default: a hash of the row)' },
    { name: 'timestamp', required: true, description: 'time with zone', time: 'event' },
    { name: 'user', required: true, description: 'user entity ref or login' },
    { name: 'action', required: true, description: 'e.g. navigate, create, search' },
    { name: 'subject', required: false, description: 'what was acted on' },
    { name: 'plugin', required: false, description: 'plugin id, e.g. catalog, techdocs, scaffolder' },
    { name: 'value', required: false, description: 'a number' },
  ],
  row: usageRow,
  key: (row) => row.id ?? `${row.timestamp}|${row.user}|${row.action}|${row.subject}|${row.plugin ?? ''}`,
  keyLabel: 'id',
  references: () => ({}),
  async write(rows, { tx }) {
    const { inserted } = await insertPortalEvents(
      tx,
      rows.map((row) => ({
        eventId:
          row.id ??
          createHash('sha256')
            .update(
              JSON.stringify([
                'csv',
                row.timestamp,
                row.user,
                row.action,
                row.subject,
                row.plugin ?? null,
                row.value ?? null,
              ]),
            )
            .digest('hex'),
        action: row.action,
        subject: row.subject,
        value: row.value ?? null,
        attributes: {},
        context: (row.plugin ? { pluginId: row.plugin } : {}) as Record<string, string>,
        pluginId: row.plugin ?? null,
        userRef: row.user,
        login: row.user.split('/').pop() ?? null,
        occurredAt: new Date(row.timestamp),
      })),
    )
    // events are facts: an event already stored is left as it is (counted as unchanged, not updated)
    return { inserted, updated: 0 }
  },
}

// The services CSV kind (docs/imports.md): when each service went live, made from a template or by hand.
import { z } from 'zod'
import { importServices } from '@/db/queries/imports'
import { entityRef, instant, slug, text } from '@/collectors/csv/cells'
import type { KindSpec } from '@/collectors/csv/kinds'

/** A template's entity ref in full form: `service-node` and `default/service-node` are `template:default/service-node`. */
const fullTemplateRef = (value: string) => {
  const [, kind = 'template', namespace = 'default', name] = /^(?:([a-z]+):)?(?:([\w.-]+)\/)?([\w.-]+)$/i.exec(
    value,
  ) as RegExpExecArray
  return `${kind.toLowerCase()}:${namespace}/${name}`
}
export const serviceRow = z
  .object({
    service: entityRef,
    name: text(200).optional(),
    team: slug,
    origin: z.enum(['template', 'manual'], { message: 'must be template or manual' }),
    template: z
      .string()
      .regex(
        /^(?:[a-z]+:)?(?:[\w.-]+\/)?[\w.-]+$/i,
        'must be a template entity ref, e.g. template:default/service-node',
      )
      .transform(fullTemplateRef)
      .optional(),
    requested_at: instant.optional(),
    live_at: instant,
  })
  .refine((row) => !row.template || row.origin === 'template', {
    path: ['template'],
    message: 'is only for a service made from a template (origin template)',
  })
  .refine((row) => !row.requested_at || row.requested_at <= row.live_at, {
    path: ['live_at'],
    message: 'is before requested_at',
  })
  .transform((row) => ({
    service: row.service,
    name: row.name,
    team: row.team,
    origin: row.origin,
    template: row.template,
    requestedAt: row.requested_at,
    liveAt: row.live_at,
  }))
export const servicesKind: KindSpec<z.infer<typeof serviceRow>> = {
  kind: 'services',
  columns: [
    { name: 'service', required: true, description: 'catalog entity ref, e.g. component:default/payments-api' },
    { name: 'name', required: false, description: 'display name (default: the ref’s name)' },
    { name: 'team', required: true, description: 'slug of the owning team (import the roster first)' },
    { name: 'origin', required: true, description: 'template or manual (built by hand)' },
    {
      name: 'template',
      required: false,
      description: 'the template it was made from, e.g. template:default/service-node',
    },
    {
      name: 'requested_at',
      required: false,
      description: 'when it was asked for (ticket opened, template run started)',
      time: 'event',
    },
    { name: 'live_at', required: true, description: 'when it was live (in the catalog, serving)', time: 'event' },
  ],
  row: serviceRow,
  key: (row) => row.service,
  keyLabel: 'service',
  references: (row) => ({ teams: [row.team] }),
  write(rows, { tx }) {
    return importServices(tx, rows)
  },
}

// Backstage's answers, as zod schemas: the catalog's by-query listing and the scaffolder's task list. The
// envelopes are checked whole; each entity and task is checked on its own, so one odd entity is named and
// skipped instead of failing its page. Only the fields Upshot reads are listed: zod drops the rest, which is
// how a task's `secrets` (and its step state) never get past this file.
import { z } from 'zod'

const timestamp = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'not a timestamp')

// GET /api/catalog/entities/by-query ---------------------------------------------------------------------

/** The JSON paths asked for (`fields`): what the mapper reads and nothing more. */
export const ENTITY_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.annotations',
  'spec.owner',
  'spec.lifecycle',
  'relations',
]

export const entitiesPageSchema = z.object({
  items: z.array(z.unknown()),
  totalItems: z.number().int().nonnegative(),
  /** Both cursors are absent at the ends. */
  pageInfo: z.object({ nextCursor: z.string().min(1).optional(), prevCursor: z.string().optional() }),
})

const relationSchema = z.object({
  type: z.string(),
  targetRef: z.string().optional(),
  /** Deprecated compound form that older catalogs still send next to targetRef. */
  target: z.object({ kind: z.string(), namespace: z.string(), name: z.string() }).optional(),
})

export const entitySchema = z.object({
  kind: z.string().min(1),
  metadata: z.object({
    name: z.string().min(1),
    namespace: z.string().min(1).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  spec: z.object({ owner: z.string().optional(), lifecycle: z.string().optional() }).optional(),
  relations: z.array(relationSchema).optional(),
})
export type CatalogEntity = z.infer<typeof entitySchema>

// GET /api/scaffolder/v2/tasks ---------------------------------------------------------------------------

export const tasksPageSchema = z.object({
  tasks: z.array(z.unknown()),
  totalTasks: z.number().int().nonnegative().optional(),
})

export const taskSchema = z.object({
  id: z.string().min(1),
  spec: z.object({
    /** Absent on tasks from before templates had entity refs (v1beta2). */
    templateInfo: z.object({ entityRef: z.string().min(1) }).optional(),
    user: z.object({ ref: z.string().optional() }).optional(),
    /** The form's answers: read in memory for the created entity's name, never stored. */
    parameters: z.record(z.string(), z.unknown()).optional(),
  }),
  status: z.string(),
  createdAt: timestamp,
  lastHeartbeatAt: timestamp.nullable().optional(),
  createdBy: z.string().nullable().optional(),
})
export type ScaffolderTask = z.infer<typeof taskSchema>

/** Backstage's error body: `{ error: { name, message }, response: { statusCode } }`. */
export const errorBodySchema = z.object({ error: z.object({ name: z.string().optional(), message: z.string() }) })

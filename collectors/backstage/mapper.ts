// Backstage's shapes → Upshot's rows. Pure: the collector looks up teams, people, repositories and services
// and passes their ids in.
import type { ScaffolderStatus } from '@/lib/domain'
import type { ServiceFacts } from '@/db/queries/catalog'
import type { NewScaffolderRun } from '@/db/schema'
import type { CatalogEntity, ScaffolderTask } from './api-types'

const ANNOTATION = {
  techdocs: 'backstage.io/techdocs-ref',
  projectSlug: 'github.com/project-slug',
  sourceTemplate: 'backstage.io/source-template',
} as const

export interface EntityName {
  kind: string
  namespace: string
  name: string
}

/**
 * A full or short entity reference (`[kind:][namespace/]name`) with the defaults Backstage applies to the
 * missing parts; null when it is not a reference.
 */
export function parseEntityRef(ref: string, defaults: { kind: string; namespace: string }): EntityName | null {
  const match = /^(?:([^:/]+):)?(?:([^:/]+)\/)?([^:/]+)$/.exec(ref.trim())
  if (!match) return null
  return {
    kind: (match[1] ?? defaults.kind).toLowerCase(),
    namespace: match[2] ?? defaults.namespace,
    name: match[3] as string,
  }
}

/** Backstage's own string form: kind in lower case, namespace and name as they are. */
export function stringifyEntityRef(entity: EntityName): string {
  return `${entity.kind.toLowerCase()}:${entity.namespace}/${entity.name}`
}

/** e.g. component:default/payments-api */
function entityRefOf(entity: CatalogEntity): string {
  return stringifyEntityRef({
    kind: entity.kind,
    namespace: entity.metadata.namespace ?? 'default',
    name: entity.metadata.name,
  })
}

/** A template reference in full form (`template:default/x`), whichever form it was written in. */
export function templateRefOf(value: string | undefined | null): string | null {
  if (!value) return null
  const parsed = parseEntityRef(value, { kind: 'template', namespace: 'default' })
  return parsed ? stringifyEntityRef(parsed) : null
}

/**
 * Who owns an entity: the target of its ownedBy relation (always a full ref, computed by the catalog), else
 * spec.owner completed the way the catalog completes it (kind group, the entity's own namespace).
 */
export function ownerOf(entity: CatalogEntity): EntityName | null {
  const relation = entity.relations?.find((r) => r.type === 'ownedBy')
  const namespace = entity.metadata.namespace ?? 'default'
  if (relation?.targetRef) return parseEntityRef(relation.targetRef, { kind: 'group', namespace })
  if (relation?.target)
    return {
      kind: relation.target.kind.toLowerCase(),
      namespace: relation.target.namespace,
      name: relation.target.name,
    }
  return entity.spec?.owner ? parseEntityRef(entity.spec.owner, { kind: 'group', namespace }) : null
}

/** What a catalog entity says, before ids are known. */
export interface CatalogEntry {
  entityRef: string
  name: string
  owner: EntityName | null
  lifecycle: string
  hasDocs: boolean
  templateRef: string | null
  /** owner/name of its GitHub repository. */
  repositorySlug: string | null
}

export function mapEntity(entity: CatalogEntity): CatalogEntry {
  const annotations = entity.metadata.annotations ?? {}
  const slug = annotations[ANNOTATION.projectSlug]?.trim()
  return {
    entityRef: entityRefOf(entity),
    name: entity.metadata.name,
    owner: ownerOf(entity),
    lifecycle: entity.spec?.lifecycle?.trim() || 'unknown',
    hasDocs: Boolean(annotations[ANNOTATION.techdocs]?.trim()),
    templateRef: templateRefOf(annotations[ANNOTATION.sourceTemplate]),
    repositorySlug: slug && /^[^/\s]+\/[^/\s]+$/.test(slug) ? slug : null,
  }
}

/** A service row, without its dates: created_at and requested_at are set once, by the database layer. */
export function mapService(
  entry: CatalogEntry,
  ids: { ownerTeamId: number | null; repositoryId: number | null },
): ServiceFacts {
  return {
    entityRef: entry.entityRef,
    name: entry.name,
    ownerTeamId: ids.ownerTeamId,
    repositoryId: ids.repositoryId,
    lifecycle: entry.lifecycle,
    hasDocs: entry.hasDocs,
    // the catalog:write action stamps source-template on whatever a template creates; anything else was made by hand
    origin: entry.templateRef ? 'template' : 'manual',
    templateRef: entry.templateRef,
  }
}

const TERMINAL: ReadonlySet<ScaffolderStatus> = new Set(['completed', 'failed', 'cancelled'])

/** Backstage task statuses are Upshot's; one this version does not know is taken to be still running. */
export function scaffolderStatus(status: string): ScaffolderStatus {
  switch (status) {
    case 'open':
    case 'processing':
    case 'completed':
    case 'failed':
    case 'cancelled':
    case 'skipped':
      return status
    default:
      return 'processing'
  }
}

/** The form fields that templates conventionally use for the new entity's name, in order of preference. */
const NAME_PARAMETERS = ['name', 'componentId', 'component_id', 'serviceName', 'service_name', 'entityName']
/** Backstage's rule for metadata.name: 1–63 characters, [a-zA-Z0-9] separated by [-_.]. */
const ENTITY_NAME = /^[a-zA-Z0-9]+(?:[-_.][a-zA-Z0-9]+)*$/

/** The name of the entity a task meant to create, read from its parameters (which are not kept). */
export function createdEntityName(parameters: Record<string, unknown> | undefined): string | null {
  for (const key of NAME_PARAMETERS) {
    const value = parameters?.[key]
    if (typeof value === 'string' && value.length <= 63 && ENTITY_NAME.test(value.trim())) return value.trim()
  }
  return null
}

export interface TaskContext {
  /** The person whose login is this user entity's name, if known. */
  personId: (login: string) => number | null
  /** That person's team on that day. */
  teamId: (personId: number | null, at: Date) => number | null
}

export interface MappedTask {
  /** The run, without its service: the collector finds that. */
  row: Omit<NewScaffolderRun, 'serviceId'>
  /** The name of the entity it created, when the run completed and its form named one. */
  createdName: string | null
}

/** A scaffolder task as a run; null for a task without a template ref (nothing to attribute it to). */
export function mapTask(task: ScaffolderTask, context: TaskContext): MappedTask | null {
  const templateRef = templateRefOf(task.spec.templateInfo?.entityRef)
  if (!templateRef) return null
  const userRef = task.spec.user?.ref ?? task.createdBy ?? null
  const user = userRef ? parseEntityRef(userRef, { kind: 'user', namespace: 'default' }) : null
  const personId = user && user.kind === 'user' ? context.personId(user.name) : null
  const status = scaffolderStatus(task.status)
  const startedAt = new Date(task.createdAt)
  return {
    row: {
      source: 'backstage',
      externalId: task.id,
      templateRef,
      userRef: user ? stringifyEntityRef(user) : null,
      personId,
      teamId: context.teamId(personId, startedAt),
      status,
      startedAt,
      // the last heartbeat of a finished task is when its worker let go of it
      finishedAt: TERMINAL.has(status) && task.lastHeartbeatAt ? new Date(task.lastHeartbeatAt) : null,
    },
    createdName: status === 'completed' ? createdEntityName(task.spec.parameters) : null,
  }
}

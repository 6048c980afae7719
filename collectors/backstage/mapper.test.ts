import { describe, expect, it } from 'vitest'
import { entitySchema, taskSchema, type CatalogEntity, type ScaffolderTask } from './api-types'
import {
  createdEntityName,
  mapEntity,
  mapService,
  mapTask,
  ownerOf,
  parseEntityRef,
  scaffolderStatus,
  templateRefOf,
} from './mapper'

const entity = (overrides: Partial<CatalogEntity> = {}): CatalogEntity => ({
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: {
      'backstage.io/techdocs-ref': 'dir:.',
      'github.com/project-slug': 'acme/payments-api',
      'backstage.io/source-template': 'template:default/service-node',
    },
  },
  spec: { lifecycle: 'production', owner: 'payments' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/payments' }],
  ...overrides,
})

const task = (overrides: Partial<ScaffolderTask> = {}): ScaffolderTask => ({
  id: 'a3f1-task',
  spec: {
    templateInfo: { entityRef: 'template:default/service-node' },
    user: { ref: 'user:default/ada' },
    parameters: { name: 'payments-api' },
  },
  status: 'completed',
  createdAt: '2026-03-02T10:00:00.000Z',
  lastHeartbeatAt: '2026-03-02T10:01:30.000Z',
  ...overrides,
})
const people = {
  personId: (login: string) => (login === 'ada' ? 11 : null),
  teamId: (personId: number | null) => (personId === 11 ? 2 : null),
}

describe('Backstage entity refs', () => {
  it('completes short refs the way the catalog does, kind in lower case', () => {
    expect(parseEntityRef('payments', { kind: 'group', namespace: 'default' })).toEqual({
      kind: 'group',
      namespace: 'default',
      name: 'payments',
    })
    expect(parseEntityRef('Group:platform/payments', { kind: 'group', namespace: 'default' })).toEqual({
      kind: 'group',
      namespace: 'platform',
      name: 'payments',
    })
    expect(parseEntityRef('user:ada', { kind: 'group', namespace: 'default' })).toEqual({
      kind: 'user',
      namespace: 'default',
      name: 'ada',
    })
    expect(parseEntityRef('a:b:c', { kind: 'group', namespace: 'default' })).toBeNull()
    expect(templateRefOf('service-go')).toBe('template:default/service-go')
    expect(templateRefOf('Template:default/service-go')).toBe('template:default/service-go')
    expect(templateRefOf(undefined)).toBeNull()
  })

  it('owner: the ownedBy relation first, else spec.owner in the entity’s namespace, else nobody', () => {
    expect(ownerOf(entity())).toEqual({ kind: 'group', namespace: 'default', name: 'payments' })
    expect(
      ownerOf(entity({ relations: [], metadata: { name: 'x', namespace: 'shop' }, spec: { owner: 'search' } })),
    ).toEqual({ kind: 'group', namespace: 'shop', name: 'search' })
    expect(
      ownerOf(
        entity({ relations: [{ type: 'ownedBy', target: { kind: 'Group', namespace: 'default', name: 'legacy' } }] }),
      ),
    ).toEqual({ kind: 'group', namespace: 'default', name: 'legacy' })
    expect(ownerOf(entity({ relations: [{ type: 'partOf', targetRef: 'system:default/shop' }], spec: {} }))).toBeNull()
  })
})

describe('Backstage catalog entity → service', () => {
  it('a template-made component with docs and a repository', () => {
    const entry = mapEntity(entity())
    expect(entry).toEqual({
      entityRef: 'component:default/payments-api',
      name: 'payments-api',
      owner: { kind: 'group', namespace: 'default', name: 'payments' },
      lifecycle: 'production',
      hasDocs: true,
      templateRef: 'template:default/service-node',
      repositorySlug: 'acme/payments-api',
    })
    expect(mapService(entry, { ownerTeamId: 3, repositoryId: 9 })).toEqual({
      entityRef: 'component:default/payments-api',
      name: 'payments-api',
      ownerTeamId: 3,
      repositoryId: 9,
      lifecycle: 'production',
      hasDocs: true,
      origin: 'template',
      templateRef: 'template:default/service-node',
    })
  })

  it('a hand-made component without docs, lifecycle or a usable project slug', () => {
    const entry = mapEntity(
      entity({
        metadata: {
          name: 'legacy',
          annotations: { 'backstage.io/techdocs-ref': ' ', 'github.com/project-slug': 'not a slug' },
        },
        spec: {},
      }),
    )
    expect(entry).toMatchObject({
      entityRef: 'component:default/legacy',
      hasDocs: false,
      templateRef: null,
      repositorySlug: null,
      lifecycle: 'unknown',
    })
    expect(mapService(entry, { ownerTeamId: null, repositoryId: null })).toMatchObject({
      origin: 'manual',
      templateRef: null,
    })
  })

  it('the schema keeps only what is read', () => {
    const parsed = entitySchema.parse({
      ...entity(),
      apiVersion: 'backstage.io/v1alpha1',
      metadata: { ...entity().metadata, uid: 'u1', etag: 'e1', links: [] },
    })
    expect(Object.keys(parsed).sort()).toEqual(['kind', 'metadata', 'relations', 'spec'])
    expect(parsed.metadata).not.toHaveProperty('etag')
  })
})

describe('Backstage scaffolder task → run', () => {
  it('a completed run: author, team at the time, finished at its last heartbeat, the entity it named', () => {
    expect(mapTask(task(), people)).toEqual({
      row: {
        source: 'backstage',
        externalId: 'a3f1-task',
        templateRef: 'template:default/service-node',
        userRef: 'user:default/ada',
        personId: 11,
        teamId: 2,
        status: 'completed',
        startedAt: new Date('2026-03-02T10:00:00.000Z'),
        finishedAt: new Date('2026-03-02T10:01:30.000Z'),
      },
      createdName: 'payments-api',
    })
  })

  it('a run still going has no finish and names nothing; a failed one finishes but names nothing either', () => {
    expect(mapTask(task({ status: 'processing' }), people)).toMatchObject({
      row: { status: 'processing', finishedAt: null },
      createdName: null,
    })
    expect(mapTask(task({ status: 'open', lastHeartbeatAt: undefined }), people)).toMatchObject({
      row: { status: 'open', finishedAt: null },
    })
    expect(mapTask(task({ status: 'failed' }), people)).toMatchObject({
      row: { status: 'failed', finishedAt: new Date('2026-03-02T10:01:30.000Z') },
      createdName: null,
    })
    expect(mapTask(task({ status: 'skipped' }), people)).toMatchObject({ row: { status: 'skipped', finishedAt: null } })
  })

  it('who ran it: spec.user.ref, else createdBy; someone unknown has no person and no team', () => {
    const byCreatedBy = task({ spec: { templateInfo: { entityRef: 'service-node' } }, createdBy: 'user:default/zoe' })
    expect(mapTask(byCreatedBy, people)?.row).toMatchObject({
      userRef: 'user:default/zoe',
      personId: null,
      teamId: null,
      templateRef: 'template:default/service-node',
    })
    expect(
      mapTask(task({ spec: { templateInfo: { entityRef: 'template:default/x' } }, createdBy: null }), people)?.row,
    ).toMatchObject({ userRef: null, personId: null })
  })

  it('a task without a template ref is left out', () => {
    expect(mapTask(task({ spec: { parameters: { name: 'x' } } }), people)).toBeNull()
  })

  it('the created entity’s name: the first conventional form field that is a valid entity name', () => {
    expect(createdEntityName({ componentId: 'billing', name: 42 })).toBe('billing')
    expect(createdEntityName({ name: 'has spaces', component_id: 'ok-name' })).toBe('ok-name')
    expect(createdEntityName({ name: '' })).toBeNull()
    expect(createdEntityName(undefined)).toBeNull()
  })

  it('statuses map one to one; one this version does not know counts as still running', () => {
    expect(
      ['open', 'processing', 'completed', 'failed', 'cancelled', 'skipped', 'paused'].map(scaffolderStatus),
    ).toEqual(['open', 'processing', 'completed', 'failed', 'cancelled', 'skipped', 'processing'])
  })

  it('secrets never get past the schema', () => {
    const parsed = taskSchema.parse({
      ...task(),
      secrets: { backstageToken: 'eyJ-secret' },
      state: { checkpoints: {} },
    })
    expect(JSON.stringify(parsed)).not.toContain('eyJ-secret')
    expect(parsed).not.toHaveProperty('state')
  })
})

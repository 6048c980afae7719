// What each kind of CSV holds: its columns (documented in docs/imports.md), how a row is checked, its key
// (no key twice in one file), and how the checked rows are written.
import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { Db, Transaction } from '@/db/client'
import {
  countIncidentsAwaitingDeployment,
  linkDeploymentsByCommit,
  linkIncidents,
  linkPendingIncidents,
  listDeploymentRepositories,
} from '@/db/queries/delivery'
import {
  getSurveySalt,
  importDeployments,
  importIncidents,
  importPullRequests,
  importRepositories,
  importServices,
  importRoster,
  importSurveyResponses,
  respondentKey,
  type WriteCounts,
} from '@/db/queries/imports'
import { MILESTONE_NAME_MAX, MILESTONE_NOTE_MAX, resolveTeamNames, upsertMilestones } from '@/db/queries/milestones'
import { insertPortalEvents } from '@/db/queries/portal-events'
import { recordStudyObservations, STUDY_SECONDS_MAX, STUDY_TASK_MAX } from '@/db/queries/studies'

import { importKinds, milestoneKinds, pullRequestStates, studyPhases, type ImportKind } from '@/lib/domain'
import type { TimeKind } from '@/collectors/plausible'
import type { Problem } from './read'

export { importKinds, type ImportKind }

/** 2026-02-30 parses (as 2 March): a real day is one that prints back as itself. */
const isRealDay = (value: string) =>
  !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value)
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date as YYYY-MM-DD', abort: true })
  .refine(isRealDay, 'is not a real date')
const instant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/, {
    message: 'must be a time with its zone, e.g. 2026-03-02T14:30:00Z',
    abort: true,
  })
  .refine(
    (value) =>
      isRealDay(value.slice(0, 10)) &&
      Number(value.slice(11, 13)) < 24 &&
      !Number.isNaN(Date.parse(value.replace(' ', 'T'))),
    { message: 'is not a real time', abort: true },
  )
  .transform((value) => new Date(value.replace(' ', 'T')).toISOString())
const flag = z.enum(['true', 'false', 'yes', 'no', '1', '0']).transform((value) => ['true', 'yes', '1'].includes(value))
const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be a team slug: lower case letters, digits, ".", "_" or "-"')
/** owner/name, or a GitLab subgroup's path (group/subgroup/name): the name is the last part. */
const repositoryPath = z.string().regex(/^[\w.-]+(\/[\w.-]+)+$/, 'must be owner/name (or group/subgroup/name)')
const entityRef = z
  .string()
  .regex(/^[a-z]+:[\w.-]+\/[\w.-]+$/i, 'must be a catalog entity ref, e.g. component:default/payments-api')
const text = (max: number) => z.string().min(1).max(max)

export interface ColumnSpec {
  name: string
  required: boolean
  description: string
  /**
   * A date or time column: an event's (no later than tomorrow) or a planned day's (up to a year ahead); both
   * no earlier than UPSHOT_EARLIEST_DATE (collectors/plausible.ts).
   */
  time?: TimeKind
}

export interface WriteContext {
  tx: Transaction
  today: string
  linkIncidentsWithinHours: number | null
}

export interface KindSpec<Row> {
  kind: ImportKind
  columns: ColumnSpec[]
  /** Checks one row (its cells by column name, empty cells absent). */
  row: z.ZodType<Row>
  key(row: Row): string
  /** What the key is made of, in the message for a key given twice ("login", "kind and occurred_on"). */
  keyLabel: string
  /** References to teams, services and repositories that must exist (the roster makes its own teams). */
  references(row: Row): { teams?: string[]; services?: string[]; repositories?: string[] }
  /** Checks of the valid rows against the database beyond `references`, each problem on its line. */
  check?(db: Db, rows: { line: number; row: Row }[]): Promise<Problem[]>
  /** Writes the rows in the import's transaction; the facts' triggers queue the weeks they change (migration 0011). */
  write(rows: Row[], context: WriteContext): Promise<WriteCounts & { pending?: PendingReferences }>
}

/** References to rows not imported yet, kept until they arrive (ImportReport.pendingReferences). */
export interface PendingReferences {
  /** Incidents in the file whose caused_by_deployment names no deployment Upshot has. */
  incidentsWithoutDeployment: number
}

const rosterRow = z
  .object({
    login: z.string().regex(/^[A-Za-z0-9][\w.-]*$/, 'must be a login: letters, digits, "-", "_" or "."'),
    name: text(200).optional(),
    email: z.string().email().optional(),
    team: slug.optional(),
    team_name: text(200).optional(),
    start_date: day.optional(),
    end_date: day.optional(),
    team_since: day.optional(),
    is_engineer: flag.optional(),
  })
  .refine((row) => !row.start_date || !row.end_date || row.start_date <= row.end_date, {
    path: ['end_date'],
    message: 'is before start_date',
  })
  .transform((row) => ({
    login: row.login,
    name: row.name,
    email: row.email,
    team: row.team,
    teamName: row.team_name,
    startDate: row.start_date,
    endDate: row.end_date,
    teamSince: row.team_since,
    isEngineer: row.is_engineer,
  }))
const roster: KindSpec<z.infer<typeof rosterRow>> = {
  kind: 'roster',
  columns: [
    { name: 'login', required: true, description: 'GitHub login (or directory handle)' },
    { name: 'name', required: false, description: 'full name' },
    { name: 'email', required: false, description: 'work e-mail' },
    { name: 'team', required: false, description: 'team slug; created when new' },
    { name: 'team_name', required: false, description: 'the team’s display name' },
    {
      name: 'start_date',
      required: false,
      description: 'first working day, YYYY-MM-DD (onboarding is measured from it)',
      time: 'planned',
    },
    { name: 'end_date', required: false, description: 'last day, YYYY-MM-DD', time: 'planned' },
    {
      name: 'team_since',
      required: false,
      description: 'since when in this team, YYYY-MM-DD (default: today for a move)',
      time: 'planned',
    },
    { name: 'is_engineer', required: false, description: 'true or false (default true)' },
  ],
  row: rosterRow,
  key: (row) => row.login.toLowerCase(),
  keyLabel: 'login',
  references: () => ({}),
  write(rows, { tx, today }) {
    return importRoster(tx, rows, { today })
  },
}

const repositoryRow = z
  .object({
    repository: repositoryPath,
    team: slug.optional(),
    provider: z
      .enum(['github', 'gitlab', 'bitbucket', 'azure-devops', 'other'], {
        message: 'must be github, gitlab, bitbucket, azure-devops or other',
      })
      .optional(),
    default_branch: text(200).optional(),
    archived: flag.optional(),
  })
  .transform((row) => ({
    repository: row.repository,
    team: row.team,
    provider: row.provider,
    defaultBranch: row.default_branch,
    archived: row.archived,
  }))
const repositoriesKind: KindSpec<z.infer<typeof repositoryRow>> = {
  kind: 'repositories',
  columns: [
    { name: 'repository', required: true, description: 'owner/name, as deployments and pull requests name it' },
    { name: 'team', required: false, description: 'slug of the team that owns it (import the roster first)' },
    { name: 'provider', required: false, description: 'github, gitlab, bitbucket, azure-devops or other' },
    { name: 'default_branch', required: false, description: 'default main' },
    { name: 'archived', required: false, description: 'true or false (default false)' },
  ],
  row: repositoryRow,
  key: (row) => row.repository,
  keyLabel: 'repository',
  references: (row) => ({ teams: row.team ? [row.team] : [] }),
  write(rows, { tx }) {
    return importRepositories(tx, rows)
  },
}

const surveyRow = z
  .object({
    wave: z.string().regex(/^[\w.-]{1,40}$/, 'must be a wave key, e.g. 2026-Q1'),
    wave_title: text(200).optional(),
    opens_on: day.optional(),
    closes_on: day.optional(),
    respondent: text(200),
    team: slug.optional(),
    question: z.string().regex(/^[a-z][a-z0-9_]{0,59}$/, 'must be a question key, e.g. ease_of_delivery'),
    score: z.coerce.number().int('must be a whole number').min(1, 'must be 1 to 10').max(10, 'must be 1 to 10'),
    submitted_at: instant,
  })
  .transform((row) => ({
    wave: row.wave,
    waveTitle: row.wave_title,
    opensOn: row.opens_on,
    closesOn: row.closes_on,
    respondent: row.respondent,
    team: row.team,
    question: row.question,
    score: row.score,
    submittedAt: row.submitted_at,
  }))
const survey: KindSpec<z.infer<typeof surveyRow>> = {
  kind: 'survey',
  columns: [
    { name: 'wave', required: true, description: 'survey wave key, e.g. 2026-Q1' },
    { name: 'wave_title', required: false, description: 'the wave’s title' },
    { name: 'opens_on', required: false, description: 'YYYY-MM-DD', time: 'planned' },
    { name: 'closes_on', required: false, description: 'YYYY-MM-DD', time: 'planned' },
    {
      name: 'respondent',
      required: true,
      description: 'any stable id of the respondent; stored only as a salted hash, per wave',
    },
    { name: 'team', required: false, description: 'the respondent’s team slug' },
    { name: 'question', required: true, description: 'question key' },
    { name: 'score', required: true, description: '1 to 10' },
    { name: 'submitted_at', required: true, description: 'time with zone', time: 'event' },
  ],
  row: surveyRow,
  key: (row) => `${row.wave}|${row.respondent}|${row.question}`,
  keyLabel: 'wave, respondent and question',
  references: (row) => ({ teams: row.team ? [row.team] : [] }),
  async write(rows, { tx }) {
    const salt = await getSurveySalt(tx)
    return importSurveyResponses(
      tx,
      rows.map(({ respondent, ...row }) => ({ ...row, respondentKey: respondentKey(salt, row.wave, respondent) })),
    )
  },
}

const deploymentStatus = z.enum(['queued', 'in_progress', 'success', 'failure', 'cancelled'], {
  message: 'must be queued, in_progress, success, failure or cancelled',
})
const deploymentRow = z
  .object({
    id: text(200),
    service: entityRef.optional(),
    repository: repositoryPath.optional(),
    team: slug.optional(),
    environment: text(100).default('production'),
    status: deploymentStatus.default('success'),
    started_at: instant,
    finished_at: instant.optional(),
    // stored in lower case, as Git and GitHub write SHAs (incidents and pull requests are matched to it)
    commit_sha: z
      .string()
      .regex(/^[0-9a-f]{7,40}$/i, 'must be a commit SHA')
      .transform((sha) => sha.toLowerCase())
      .optional(),
    ref: text(200).optional(),
    is_rollback: flag.default(false),
    is_hotfix: flag.default(false),
  })
  .refine((row) => row.service || row.repository || row.team, {
    path: ['service'],
    message: 'one of service, repository or team is needed to attribute the deployment',
  })
  .refine((row) => !row.finished_at || row.finished_at >= row.started_at, {
    path: ['finished_at'],
    message: 'is before started_at',
  })
  .refine((row) => row.finished_at || !['success', 'failure'].includes(row.status), {
    path: ['finished_at'],
    message: 'is needed for a finished deployment',
  })
  .transform((row) => ({
    id: row.id,
    service: row.service,
    repository: row.repository,
    team: row.team,
    environment: row.environment,
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    commitSha: row.commit_sha,
    ref: row.ref,
    isRollback: row.is_rollback,
    isHotfix: row.is_hotfix,
  }))
const deployments: KindSpec<z.infer<typeof deploymentRow>> = {
  kind: 'deployments',
  columns: [
    { name: 'id', required: true, description: 'the deployment’s id in your tool (re-importing it replaces it)' },
    { name: 'service', required: false, description: 'catalog entity ref' },
    { name: 'repository', required: false, description: 'owner/name' },
    { name: 'team', required: false, description: 'team slug (default: the service’s owner)' },
    { name: 'environment', required: false, description: 'default production' },
    { name: 'status', required: false, description: 'success (default), failure, cancelled, queued, in_progress' },
    { name: 'started_at', required: true, description: 'time with zone', time: 'event' },
    {
      name: 'finished_at',
      required: false,
      description: 'time with zone; needed for success and failure',
      time: 'event',
    },
    { name: 'commit_sha', required: false, description: 'what was deployed' },
    { name: 'ref', required: false, description: 'branch or tag' },
    { name: 'is_rollback', required: false, description: 'true or false' },
    { name: 'is_hotfix', required: false, description: 'true or false' },
  ],
  row: deploymentRow,
  key: (row) => row.id,
  keyLabel: 'id',
  references: (row) => ({
    teams: row.team ? [row.team] : [],
    services: row.service ? [row.service] : [],
    repositories: row.repository ? [row.repository] : [],
  }),
  async write(rows, { tx, linkIncidentsWithinHours }) {
    // a deployment moved to another repository leaves its old one to be worked out again, too
    const movedFrom = await listDeploymentRepositories(tx, { source: 'csv', externalIds: rows.map((row) => row.id) })
    const written = await importDeployments(tx, rows, { productionEnvironments: ['production', 'prod'] })
    // incidents imported before the deployment that caused them are linked now, in the same transaction
    await linkPendingIncidents(tx, { deploymentIds: written.ids, withinHours: linkIncidentsWithinHours })
    // and the merged pull requests each shipped, by commit SHA (whichever of the two files came first)
    await linkDeploymentsByCommit(tx, { deploymentIds: written.ids, repositoryIds: movedFrom })
    return { inserted: written.inserted, updated: written.updated }
  },
}

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
const incidents: KindSpec<z.infer<typeof incidentRow>> = {
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
const portalUsage: KindSpec<z.infer<typeof usageRow>> = {
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

/** A commit SHA, full or its first 7 or more characters; stored in lower case, as Git and GitHub write them. */
const commitSha = z
  .string()
  .regex(/^[0-9a-f]{7,40}$/i, 'must be a commit SHA')
  .transform((sha) => sha.toLowerCase())
const lineCount = z.coerce.number().int('must be a whole number').min(0, 'must be 0 or more')
export const pullRequestRow = z
  .object({
    id: z
      .string()
      .regex(/^[1-9]\d{0,8}$/, 'must be the pull request’s number in its repository (a whole number)')
      .transform(Number),
    repository: repositoryPath,
    title: text(1000).optional(),
    author: text(320).optional(),
    state: z.enum(pullRequestStates, { message: 'must be open, closed or merged' }).optional(),
    created_at: instant,
    first_commit_at: instant.optional(),
    first_review_at: instant.optional(),
    approved_at: instant.optional(),
    merged_at: instant.optional(),
    closed_at: instant.optional(),
    merge_commit_sha: commitSha.optional(),
    head_sha: commitSha.optional(),
    additions: lineCount.optional(),
    deletions: lineCount.optional(),
  })
  // real exports are messy (a review before the opening, a commit after it): only what cannot happen is refused
  .refine((row) => !row.merged_at || row.merged_at >= row.created_at, {
    path: ['merged_at'],
    message: 'is before created_at',
  })
  .refine((row) => !row.closed_at || row.closed_at >= row.created_at, {
    path: ['closed_at'],
    message: 'is before created_at',
  })
  .refine((row) => !row.first_commit_at || !row.merged_at || row.first_commit_at <= row.merged_at, {
    path: ['first_commit_at'],
    message: 'is after merged_at',
  })
  .refine((row) => row.state !== 'merged' || row.merged_at, {
    path: ['merged_at'],
    message: 'is needed for a merged pull request',
  })
  .refine(
    (row) => !row.state || (row.merged_at ? row.state === 'merged' : row.closed_at ? row.state !== 'open' : true),
    {
      path: ['state'],
      message: 'does not agree with the times (merged_at given: merged; closed_at given: closed or merged)',
    },
  )
  .transform((row) => ({
    id: row.id,
    repository: row.repository,
    title: row.title,
    author: row.author,
    state: row.state ?? (row.merged_at ? 'merged' : row.closed_at ? 'closed' : 'open'),
    openedAt: row.created_at,
    firstCommitAt: row.first_commit_at,
    firstReviewAt: row.first_review_at,
    approvedAt: row.approved_at,
    mergedAt: row.merged_at,
    // a merge closes the pull request (GitHub, GitLab and the others all say so)
    closedAt: row.closed_at ?? row.merged_at,
    mergeCommitSha: row.merge_commit_sha,
    headSha: row.head_sha,
    additions: row.additions,
    deletions: row.deletions,
  }))
const pullRequestsKind: KindSpec<z.infer<typeof pullRequestRow>> = {
  kind: 'pull-requests',
  columns: [
    {
      name: 'id',
      required: true,
      description: 'its number in the repository (GitLab iid, Bitbucket id, Azure DevOps pullRequestId)',
    },
    { name: 'repository', required: true, description: 'owner/name (import the repositories CSV first)' },
    { name: 'title', required: false, description: 'the title' },
    { name: 'author', required: false, description: 'login or e-mail, matched to the roster' },
    { name: 'state', required: false, description: 'open, closed or merged (default: from the times)' },
    { name: 'created_at', required: true, description: 'opened, time with zone', time: 'event' },
    { name: 'first_commit_at', required: false, description: 'its first commit', time: 'event' },
    { name: 'first_review_at', required: false, description: 'its first review by someone else', time: 'event' },
    { name: 'approved_at', required: false, description: 'its first approval', time: 'event' },
    { name: 'merged_at', required: false, description: 'merged', time: 'event' },
    { name: 'closed_at', required: false, description: 'closed (default: merged_at)', time: 'event' },
    { name: 'merge_commit_sha', required: false, description: 'the commit the merge made (or the squashed one)' },
    { name: 'head_sha', required: false, description: 'the last commit of its branch' },
    { name: 'additions', required: false, description: 'lines added' },
    { name: 'deletions', required: false, description: 'lines deleted' },
  ],
  row: pullRequestRow,
  key: (row) => `${row.repository}#${row.id}`,
  keyLabel: 'repository and id',
  references: (row) => ({ repositories: [row.repository] }),
  async write(rows, { tx }) {
    const written = await importPullRequests(tx, rows)
    // the deployments of these repositories that name their commits ship them now (whichever file came first)
    await linkDeploymentsByCommit(tx, { repositoryIds: written.repositoryIds })
    return { inserted: written.inserted, updated: written.updated }
  },
}

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
const servicesKind: KindSpec<z.infer<typeof serviceRow>> = {
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

/** Team names in one cell: `;` or `|` between them (a comma would end the cell). Empty: every team. */
const teamList = z
  .string()
  .max(4000)
  .transform((value) => [
    ...new Set(
      value
        .split(/[;|]/)
        .map((name) => name.trim())
        .filter((name) => name !== ''),
    ),
  ])
export const milestoneRow = z
  .object({
    kind: z.enum(milestoneKinds, { message: `must be one of ${milestoneKinds.join(', ')}` }),
    occurred_on: day,
    name: text(MILESTONE_NAME_MAX),
    teams: teamList.default([]),
    note: z
      .string()
      .max(MILESTONE_NOTE_MAX, `is longer than ${MILESTONE_NOTE_MAX.toLocaleString('en')} characters`)
      .optional(),
  })
  .transform((row) => ({
    kind: row.kind,
    occurredOn: row.occurred_on,
    name: row.name,
    teams: row.teams,
    note: row.note ?? null,
  }))
const milestonesKind: KindSpec<z.infer<typeof milestoneRow>> = {
  kind: 'milestones',
  columns: [
    { name: 'kind', required: true, description: milestoneKinds.join(', ') },
    { name: 'occurred_on', required: true, description: 'the day it happened, YYYY-MM-DD', time: 'planned' },
    { name: 'name', required: true, description: 'what happened, as the charts label it' },
    { name: 'teams', required: false, description: 'team names or slugs separated by ";" or "|"; empty: every team' },
    { name: 'note', required: false, description: 'anything worth knowing about it' },
  ],
  row: milestoneRow,
  key: (row) => `${row.kind}|${row.occurredOn}`,
  keyLabel: 'kind and occurred_on',
  references: () => ({}),
  async check(db, rows) {
    const { problems } = await resolveTeamNames(
      db,
      rows.flatMap(({ row }) => row.teams),
    )
    return rows.flatMap(({ line, row }) =>
      row.teams.flatMap((name) =>
        problems.has(name) ? [{ line, column: 'teams', message: problems.get(name) as string }] : [],
      ),
    )
  },
  async write(rows, { tx }) {
    const { ids } = await resolveTeamNames(
      tx,
      rows.flatMap((row) => row.teams),
    )
    return upsertMilestones(
      tx,
      rows.map((row) => ({
        kind: row.kind,
        occurredOn: row.occurredOn,
        name: row.name,
        description: row.note,
        teamIds: row.teams.map((name) => ids.get(name) as number),
      })),
    )
  },
}

/** The docs find-time study (docs/metrics.md): a participant's time for a task, before or after. */
export const studyRow = z
  .object({
    task: text(STUDY_TASK_MAX).transform((task) => task.trim().replace(/\s+/g, ' ')),
    participant: text(200),
    phase: z.enum(studyPhases, { message: 'must be before or after' }),
    seconds: z.coerce
      .number({ message: 'must be a number of seconds' })
      .finite('must be a number of seconds')
      .positive('must be more than 0')
      .max(STUDY_SECONDS_MAX, `must be at most ${STUDY_SECONDS_MAX.toLocaleString('en')} (8 hours)`),
    found: z
      .enum(['yes', 'no', 'true', 'false', '1', '0'], { message: 'must be yes or no' })
      .transform((value) => ['yes', 'true', '1'].includes(value)),
  })
  .transform((row) => ({
    task: row.task,
    participant: row.participant,
    phase: row.phase,
    seconds: row.seconds,
    found: row.found,
  }))
const studyKind: KindSpec<z.infer<typeof studyRow>> = {
  kind: 'study',
  columns: [
    { name: 'task', required: true, description: 'what the participant had to find, the same words before and after' },
    {
      name: 'participant',
      required: true,
      description: 'name, e-mail or any stable id; stored only as a salted hash, the same before and after',
    },
    { name: 'phase', required: true, description: 'before or after (the portal’s docs)' },
    { name: 'seconds', required: true, description: 'time to find it, or to give up' },
    { name: 'found', required: true, description: 'yes or no' },
  ],
  row: studyRow,
  key: (row) => `${row.task}|${row.participant.trim().replace(/\s+/g, ' ').toLowerCase()}|${row.phase}`,
  keyLabel: 'task, participant and phase',
  references: () => ({}),
  write(rows, { tx }) {
    return recordStudyObservations(
      tx,
      rows.map((row) => ({ ...row, source: 'csv' as const })),
    )
  },
}

export const kindSpecs: Record<ImportKind, KindSpec<never>> = {
  roster: roster as never,
  repositories: repositoriesKind as never,
  survey: survey as never,
  deployments: deployments as never,
  incidents: incidents as never,
  'portal-usage': portalUsage as never,
  milestones: milestonesKind as never,
  'pull-requests': pullRequestsKind as never,
  services: servicesKind as never,
  study: studyKind as never,
}

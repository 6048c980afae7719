// Every read model a worker thread can compute (lib/data/compute-pool.ts): a question's name and its builder's
// arguments → the same question, built again in the worker, and its answer. A name missing here is computed
// on the request thread, as before.
import type { Db } from '@/db/client'
import type { Task } from './compute-pool'
import { adoptionQuestion } from './adoption'
import { deliveryQuestion } from './delivery'
import { experienceQuestion } from './experience'
import type { Filters } from './filters'
import { flowQuestion } from './flow'
import { initiativeQuestion } from './initiative'
import { onboardingQuestion } from './onboarding'
import { overviewQuestion, type OverviewScope } from './overview'
import type { Question } from './read-cache'
import { reportQuestion, type ReportScope } from './report'
import { studyQuestion } from './study'

const builders: Record<string, (args: never, db: Db | undefined) => Question<unknown>> = {
  initiative: (id: number, db) => initiativeQuestion(id, { db }),
  overview: (scope: OverviewScope, db) => overviewQuestion(scope, { db }),
  report: (asked: { initiativeId?: number; scope?: ReportScope }, db) => reportQuestion({ ...asked, db }),
  delivery: (filters: Filters, db) => deliveryQuestion(filters, { db }),
  flow: (filters: Filters, db) => flowQuestion(filters, { db }),
  onboarding: (filters: Filters, db) => onboardingQuestion(filters, { db }),
  experience: (filters: Filters, db) => experienceQuestion(filters, { db }),
  adoption: (filters: Filters, db) => adoptionQuestion(filters, { db }),
  study: (_: null, db) => studyQuestion({ db }),
}

/** The answer to `task`, computed here (a worker thread calls it with its own connections; tests pass `db`). */
export function answer({ name, args }: Task, { db }: { db?: Db } = {}): Promise<unknown> {
  const build = builders[name]
  if (!build) throw new Error(`compute-worker: no read model named "${name}"`)
  return build(args as never, db).compute()
}

// Settings that change how metrics are computed: reading them, and changing them with every rollup
// recomputed in the same transaction (a dashboard never mixes rules). Server-only; the caller checks that
// the user may change settings.
import 'server-only'
import { getDb, type Db } from '@/db/client'
import { drainDirtyWeeks } from '@/db/queries/rollups'
import { changeFailureRuleSchema, getChangeFailureRule, putChangeFailureRule } from '@/db/queries/settings'
import type { ChangeFailureRule } from '@/lib/domain'
import { UpshotError } from '@/lib/errors'

export async function getMetricSettings({ db = getDb() }: { db?: Db } = {}): Promise<{
  changeFailureRule: ChangeFailureRule
}> {
  return { changeFailureRule: await getChangeFailureRule(db) }
}

/** Validates and stores the change-failure rule, then recomputes every team-week. Returns the rule stored. */
export async function updateChangeFailureRule(
  input: unknown,
  changedBy: string,
  { db = getDb() }: { db?: Db } = {},
): Promise<ChangeFailureRule> {
  const parsed = changeFailureRuleSchema.safeParse(input)
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || 'rule'}: ${issue.message}`)
      .join('; ')
    throw new UpshotError('bad_request', `Invalid change-failure rule: ${problems}.`)
  }
  const rule = parsed.data
  await db.transaction(async (tx) => {
    // storing the rule queues every week (a trigger on settings); draining in the same transaction means no
    // dashboard ever reads rollups of one rule beside the rule of another
    await putChangeFailureRule(tx, rule, changedBy)
    await drainDirtyWeeks(tx)
  })
  return rule
}

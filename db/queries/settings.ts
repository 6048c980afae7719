// Organisation settings that change how metrics are computed. Changing one recomputes every rollup.
import { eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import { DEFAULT_CHANGE_FAILURE_RULE, type ChangeFailureRule } from '@/lib/domain'
import type { Db } from '@/db/client'
import { settings } from '@/db/schema'

/** Which signals make a production deployment a change failure (docs/metrics.md, "Change fail rate"). */
export const changeFailureRuleSchema = z.object({
  incidents: z.boolean(),
  rollbacks: z.boolean(),
  hotfixes: z.boolean(),
  windowHours: z
    .number()
    .positive()
    .max(24 * 14),
}) satisfies z.ZodType<ChangeFailureRule>
const CHANGE_FAILURE_RULE = 'change_failure_rule'

export async function getChangeFailureRule(db: Db): Promise<ChangeFailureRule> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, CHANGE_FAILURE_RULE))
  const parsed = changeFailureRuleSchema.safeParse(row?.value)
  return parsed.success ? parsed.data : DEFAULT_CHANGE_FAILURE_RULE
}

/** Stores the rule (callers recompute the rollups in the same transaction: see setChangeFailureRuleAndRefresh). */
export async function putChangeFailureRule(db: Db, rule: ChangeFailureRule, updatedBy: string): Promise<void> {
  const value = changeFailureRuleSchema.parse(rule)
  await db
    .insert(settings)
    .values({ key: CHANGE_FAILURE_RULE, value, updatedBy })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedBy, updatedAt: sql`now()` } })
}

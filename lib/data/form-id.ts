// The row a form names in its hidden `id` field (a delete or an edit button), read the same way by every form.
import { z } from 'zod'

/** A row's id: a positive whole number that fits a Postgres `integer` (what a form or a bound action argument carries). */
export const rowIdSchema = z
  .number()
  .int()
  .positive()
  .max(2 ** 31 - 1)

const formIdSchema = z.object({ id: z.coerce.number().pipe(rowIdSchema) })

/** The id in the form's `id` field, or null when there is none or it cannot be a row's id. */
export function readFormId(form: FormData): number | null {
  const input = formIdSchema.safeParse({ id: form.get('id') })
  return input.success ? input.data.id : null
}

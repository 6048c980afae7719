// What every form's server side does with a submission: its text fields as typed (to give them back when it is
// refused), and zod's issues as one message per field (the first one: a field says one thing at a time).
import type { z } from 'zod'

/** The form's text fields; React's `$ACTION_…` fields are left out. */
export function formValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {}
  for (const [key, value] of form.entries()) if (typeof value === 'string' && !key.startsWith('$')) values[key] = value
  return values
}

/** The first issue of each field, by the field's name ('form' for an issue about the whole form). */
export function fieldErrors(issues: readonly z.core.$ZodIssue[] | undefined): Record<string, string> {
  const errors: Record<string, string> = {}
  for (const issue of issues ?? []) errors[String(issue.path[0] ?? 'form')] ??= issue.message
  return errors
}

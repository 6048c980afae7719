// What a CSV cell may hold, shared by the kinds (one file each beside this one): real days, times with their
// zone, flags, team slugs, repository paths and catalog refs, bounded text.
import { z } from 'zod'

/** 2026-02-30 parses (as 2 March): a real day is one that prints back as itself. */
const isRealDay = (value: string) =>
  !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value)
export const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date as YYYY-MM-DD', abort: true })
  .refine(isRealDay, 'is not a real date')
export const instant = z
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
export const flag = z
  .enum(['true', 'false', 'yes', 'no', '1', '0'])
  .transform((value) => ['true', 'yes', '1'].includes(value))
export const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be a team slug: lower case letters, digits, ".", "_" or "-"')
/** owner/name, or a GitLab subgroup's path (group/subgroup/name): the name is the last part. */
export const repositoryPath = z.string().regex(/^[\w.-]+(\/[\w.-]+)+$/, 'must be owner/name (or group/subgroup/name)')
export const entityRef = z
  .string()
  .regex(/^[a-z]+:[\w.-]+\/[\w.-]+$/i, 'must be a catalog entity ref, e.g. component:default/payments-api')
export const text = (max: number) => z.string().min(1).max(max)

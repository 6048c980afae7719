// Column shapes used by every table: one way to spell an id, a point in time and a calendar date.
import { bigint, customType, date, timestamp } from 'drizzle-orm/pg-core'

/** Surrogate key. "By default" so that the demo generator can insert known ids in bulk. */
export const id = () => bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity()

/** A foreign key column holding another table's `id`. */
export const ref = (name: string) => bigint(name, { mode: 'number' })

/** An instant, stored as timestamptz (UTC on the wire). */
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

/** A calendar day without a time zone, as 'YYYY-MM-DD'. */
export const day = (name: string) => date(name, { mode: 'string' })

export const createdAt = () => instant('created_at').notNull().defaultNow()

/** Raw bytes (a rendered PDF), as a Buffer. */
export const bytes = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' })

// Portal usage events: stored once per event id (a re-sent batch stores nothing twice), attributed to the
// person and their team at the time.
import { sql } from 'drizzle-orm'
import type { Db } from '@/db/client'
import type { NewPortalEvent } from '@/db/schema'

/** Inserts the events not stored yet, resolving people by login; returns how many were new. */
export async function insertPortalEvents(
  db: Db,
  events: (Omit<NewPortalEvent, 'personId' | 'teamId'> & { login: string | null })[],
): Promise<{ inserted: number }> {
  if (events.length === 0) return { inserted: 0 }
  const rows = await db.execute<{ id: number }>(sql`
    with incoming as (
      select * from jsonb_to_recordset(${JSON.stringify(events)}::jsonb) as e(
        "eventId" text, action text, subject text, value float8, attributes jsonb, context jsonb, "pluginId" text, "userRef" text, login text, "occurredAt" timestamptz)
    )
    insert into portal_events (event_id, action, subject, value, attributes, context, plugin_id, user_ref, person_id, team_id, occurred_at)
    select i."eventId", i.action, i.subject, i.value, coalesce(i.attributes, '{}'), coalesce(i.context, '{}'), i."pluginId", i."userRef", p.id, m.team_id, i."occurredAt"
    from incoming i
    left join people p on p.login = i.login
    left join lateral (
      select team_id from team_memberships m
      where m.person_id = p.id and m.valid_from <= (i."occurredAt" at time zone 'UTC')::date and (m.valid_to is null or m.valid_to > (i."occurredAt" at time zone 'UTC')::date)
      order by m.valid_from desc limit 1
    ) m on true
    on conflict (event_id) do nothing
    returning id::int`)
  return { inserted: rows.length }
}

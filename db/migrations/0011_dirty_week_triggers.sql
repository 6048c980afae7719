-- Custom SQL (drizzle-kit generate --custom): every write to the facts queues the weeks whose rollups it changes,
-- in its own transaction (db/schema/operations.ts, dirty_weeks). Triggers, so that no writer (collector, webhook,
-- import, portal event, edit, or a person with psql) can commit facts without queuing their weeks; per statement,
-- with the changed rows as a transition table, so a bulk insert queues each week once. Which weeks a fact touches
-- follows the rollup query (db/queries/rollups.ts) and docs/metrics.md, "Rollups"; queuing more is harmless,
-- queuing less is the bug these exist to prevent. Each table has one function reading `changed`: the new rows of
-- an insert or update, the old rows of an update or delete.
CREATE FUNCTION "upshot_week"("at" timestamptz) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT date_trunc('week', "at" AT TIME ZONE 'UTC')::date
$$;
--> statement-breakpoint
CREATE FUNCTION "upshot_queue_all_weeks"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "dirty_weeks" ("from_week", "to_week") VALUES (NULL, NULL);
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- A successful production deployment: its week; the weeks of the deployments before it that it may remediate
-- (within the change-failure rule's window); every week from it on when it is its stream's first (live
-- services); and, for what it shipped, each pull request's merge week and the weeks of every deployment of it
-- (which one is first may change).
CREATE FUNCTION "upshot_queue_deployment_weeks"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  window_hours float8 := coalesce((SELECT ("value"->>'windowHours')::float8 FROM "settings" WHERE "key" = 'change_failure_rule'), 24);
BEGIN
  INSERT INTO "dirty_weeks" ("from_week", "to_week")
  SELECT DISTINCT w."from_week", w."to_week" FROM (
    SELECT upshot_week(c."finished_at" - make_interval(secs => window_hours * 3600)) AS "from_week", upshot_week(c."finished_at") AS "to_week"
    FROM changed c
    WHERE c."is_production" AND c."status" = 'success' AND c."finished_at" IS NOT NULL
    UNION ALL
    SELECT upshot_week(c."finished_at"), NULL
    FROM changed c
    WHERE c."is_production" AND c."status" = 'success' AND c."finished_at" IS NOT NULL AND c."team_id" IS NOT NULL
      AND NOT EXISTS (
        SELECT 1 FROM "deployments" e
        WHERE e."team_id" = c."team_id" AND e."is_production" AND e."status" = 'success' AND e."finished_at" < c."finished_at"
          AND coalesce(e."service_id", -e."repository_id") IS NOT DISTINCT FROM coalesce(c."service_id", -c."repository_id"))
    UNION ALL
    SELECT upshot_week(x."at"), upshot_week(x."at") FROM (
      SELECT p."merged_at" AS "at"
      FROM changed c
      JOIN "deployment_pull_requests" l ON l."deployment_id" = c."id"
      JOIN "pull_requests" p ON p."id" = l."pull_request_id"
      WHERE c."is_production" AND c."status" = 'success'
      UNION
      SELECT e."finished_at"
      FROM changed c
      JOIN "deployment_pull_requests" l ON l."deployment_id" = c."id"
      JOIN "deployment_pull_requests" other ON other."pull_request_id" = l."pull_request_id"
      JOIN "deployments" e ON e."id" = other."deployment_id"
      WHERE c."is_production" AND c."status" = 'success' AND e."is_production" AND e."status" = 'success'
    ) x
    WHERE x."at" IS NOT NULL
  ) w;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- What a deployment shipped: the pull request's merge week, and the weeks of its deployments (the one linked or
-- unlinked, and the others: which is first may change).
CREATE FUNCTION "upshot_queue_shipped_weeks"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "dirty_weeks" ("from_week", "to_week")
  SELECT DISTINCT upshot_week(x."at"), upshot_week(x."at") FROM (
    SELECT p."merged_at" AS "at" FROM changed c JOIN "pull_requests" p ON p."id" = c."pull_request_id"
    UNION
    SELECT e."finished_at" FROM changed c JOIN "deployments" e ON e."id" = c."deployment_id"
    WHERE e."is_production" AND e."status" = 'success'
    UNION
    SELECT e."finished_at"
    FROM changed c
    JOIN "deployment_pull_requests" other ON other."pull_request_id" = c."pull_request_id"
    JOIN "deployments" e ON e."id" = other."deployment_id"
    WHERE e."is_production" AND e."status" = 'success'
  ) x
  WHERE x."at" IS NOT NULL;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- A pull request: its merge week (flow), and the weeks of the deployments that shipped it (lead time).
CREATE FUNCTION "upshot_queue_pull_request_weeks"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "dirty_weeks" ("from_week", "to_week")
  SELECT DISTINCT upshot_week(x."at"), upshot_week(x."at") FROM (
    SELECT c."merged_at" AS "at" FROM changed c
    UNION
    SELECT e."finished_at"
    FROM changed c
    JOIN "deployment_pull_requests" l ON l."pull_request_id" = c."id"
    JOIN "deployments" e ON e."id" = l."deployment_id"
    WHERE e."is_production" AND e."status" = 'success'
  ) x
  WHERE x."at" IS NOT NULL;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- An incident: the week it opened, and the week of the deployment it names as its cause (a change failure).
CREATE FUNCTION "upshot_queue_incident_weeks"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "dirty_weeks" ("from_week", "to_week")
  SELECT DISTINCT upshot_week(x."at"), upshot_week(x."at") FROM (
    SELECT c."opened_at" AS "at" FROM changed c
    UNION
    SELECT e."finished_at" FROM changed c JOIN "deployments" e ON e."id" = c."caused_by_deployment_id"
  ) x
  WHERE x."at" IS NOT NULL;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- A portal event of a known person: its week (active engineers).
CREATE FUNCTION "upshot_queue_portal_event_weeks"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "dirty_weeks" ("from_week", "to_week")
  SELECT DISTINCT upshot_week(c."occurred_at"), upshot_week(c."occurred_at") FROM changed c WHERE c."person_id" IS NOT NULL;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- A membership: every week it covers (engineers, and whose portal use counts for which team); open-ended while current.
CREATE FUNCTION "upshot_queue_membership_weeks"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "dirty_weeks" ("from_week", "to_week")
  SELECT DISTINCT date_trunc('week', c."valid_from"::timestamp)::date, date_trunc('week', c."valid_to"::timestamp)::date FROM changed c;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- The change-failure rule decides every deployment's outcome: all weeks.
CREATE FUNCTION "upshot_queue_rule_weeks"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM changed WHERE "key" = 'change_failure_rule') THEN
    INSERT INTO "dirty_weeks" ("from_week", "to_week") VALUES (NULL, NULL);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "deployments_insert_queue_weeks" AFTER INSERT ON "deployments" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_deployment_weeks"();
--> statement-breakpoint
CREATE TRIGGER "deployments_update_new_queue_weeks" AFTER UPDATE ON "deployments" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_deployment_weeks"();
--> statement-breakpoint
CREATE TRIGGER "deployments_update_old_queue_weeks" AFTER UPDATE ON "deployments" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_deployment_weeks"();
--> statement-breakpoint
CREATE TRIGGER "deployments_delete_queue_weeks" AFTER DELETE ON "deployments" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_deployment_weeks"();
--> statement-breakpoint
CREATE TRIGGER "deployments_truncate_queue_weeks" AFTER TRUNCATE ON "deployments" FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_all_weeks"();
--> statement-breakpoint
CREATE TRIGGER "deployment_pull_requests_insert_queue_weeks" AFTER INSERT ON "deployment_pull_requests" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_shipped_weeks"();
--> statement-breakpoint
CREATE TRIGGER "deployment_pull_requests_update_new_queue_weeks" AFTER UPDATE ON "deployment_pull_requests" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_shipped_weeks"();
--> statement-breakpoint
CREATE TRIGGER "deployment_pull_requests_update_old_queue_weeks" AFTER UPDATE ON "deployment_pull_requests" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_shipped_weeks"();
--> statement-breakpoint
CREATE TRIGGER "deployment_pull_requests_delete_queue_weeks" AFTER DELETE ON "deployment_pull_requests" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_shipped_weeks"();
--> statement-breakpoint
CREATE TRIGGER "deployment_pull_requests_truncate_queue_weeks" AFTER TRUNCATE ON "deployment_pull_requests" FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_all_weeks"();
--> statement-breakpoint
CREATE TRIGGER "pull_requests_insert_queue_weeks" AFTER INSERT ON "pull_requests" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_pull_request_weeks"();
--> statement-breakpoint
CREATE TRIGGER "pull_requests_update_new_queue_weeks" AFTER UPDATE ON "pull_requests" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_pull_request_weeks"();
--> statement-breakpoint
CREATE TRIGGER "pull_requests_update_old_queue_weeks" AFTER UPDATE ON "pull_requests" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_pull_request_weeks"();
--> statement-breakpoint
CREATE TRIGGER "pull_requests_delete_queue_weeks" AFTER DELETE ON "pull_requests" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_pull_request_weeks"();
--> statement-breakpoint
CREATE TRIGGER "pull_requests_truncate_queue_weeks" AFTER TRUNCATE ON "pull_requests" FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_all_weeks"();
--> statement-breakpoint
CREATE TRIGGER "incidents_insert_queue_weeks" AFTER INSERT ON "incidents" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_incident_weeks"();
--> statement-breakpoint
CREATE TRIGGER "incidents_update_new_queue_weeks" AFTER UPDATE ON "incidents" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_incident_weeks"();
--> statement-breakpoint
CREATE TRIGGER "incidents_update_old_queue_weeks" AFTER UPDATE ON "incidents" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_incident_weeks"();
--> statement-breakpoint
CREATE TRIGGER "incidents_delete_queue_weeks" AFTER DELETE ON "incidents" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_incident_weeks"();
--> statement-breakpoint
CREATE TRIGGER "incidents_truncate_queue_weeks" AFTER TRUNCATE ON "incidents" FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_all_weeks"();
--> statement-breakpoint
CREATE TRIGGER "portal_events_insert_queue_weeks" AFTER INSERT ON "portal_events" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_portal_event_weeks"();
--> statement-breakpoint
CREATE TRIGGER "portal_events_update_new_queue_weeks" AFTER UPDATE ON "portal_events" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_portal_event_weeks"();
--> statement-breakpoint
CREATE TRIGGER "portal_events_update_old_queue_weeks" AFTER UPDATE ON "portal_events" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_portal_event_weeks"();
--> statement-breakpoint
CREATE TRIGGER "portal_events_delete_queue_weeks" AFTER DELETE ON "portal_events" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_portal_event_weeks"();
--> statement-breakpoint
CREATE TRIGGER "portal_events_truncate_queue_weeks" AFTER TRUNCATE ON "portal_events" FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_all_weeks"();
--> statement-breakpoint
CREATE TRIGGER "team_memberships_insert_queue_weeks" AFTER INSERT ON "team_memberships" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_membership_weeks"();
--> statement-breakpoint
CREATE TRIGGER "team_memberships_update_new_queue_weeks" AFTER UPDATE ON "team_memberships" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_membership_weeks"();
--> statement-breakpoint
CREATE TRIGGER "team_memberships_update_old_queue_weeks" AFTER UPDATE ON "team_memberships" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_membership_weeks"();
--> statement-breakpoint
CREATE TRIGGER "team_memberships_delete_queue_weeks" AFTER DELETE ON "team_memberships" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_membership_weeks"();
--> statement-breakpoint
CREATE TRIGGER "team_memberships_truncate_queue_weeks" AFTER TRUNCATE ON "team_memberships" FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_all_weeks"();
--> statement-breakpoint
CREATE TRIGGER "settings_insert_queue_weeks" AFTER INSERT ON "settings" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_rule_weeks"();
--> statement-breakpoint
CREATE TRIGGER "settings_update_new_queue_weeks" AFTER UPDATE ON "settings" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_rule_weeks"();
--> statement-breakpoint
CREATE TRIGGER "settings_update_old_queue_weeks" AFTER UPDATE ON "settings" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_rule_weeks"();
--> statement-breakpoint
CREATE TRIGGER "settings_delete_queue_weeks" AFTER DELETE ON "settings" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_rule_weeks"();
--> statement-breakpoint
CREATE TRIGGER "settings_truncate_queue_weeks" AFTER TRUNCATE ON "settings" FOR EACH STATEMENT EXECUTE FUNCTION "upshot_queue_all_weeks"();

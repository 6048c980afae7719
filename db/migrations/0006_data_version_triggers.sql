-- Custom SQL (drizzle-kit generate --custom): who moves data_version, the key of the read-model caches.
-- Each change counts at its transaction's commit (deferred constraint triggers), so a reader never caches a
-- figure computed before the change under the number that announces it, and the version row is the last lock a
-- transaction takes (no lock-order deadlock with the tables it wrote). One bump per transaction: the first
-- trigger to fire marks the transaction, the rest return at once.
INSERT INTO "data_version" ("id", "version") VALUES (1, 0) ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE FUNCTION "upshot_bump_data_version"() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('upshot.data_changed', true) IS DISTINCT FROM txid_current()::text THEN
    PERFORM set_config('upshot.data_changed', txid_current()::text, true);
    UPDATE "data_version" SET "version" = "version" + 1, "changed_at" = now() WHERE "id" = 1;
  END IF;
END
$$;
--> statement-breakpoint
CREATE FUNCTION "upshot_data_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "upshot_bump_data_version"();
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "teams_data_changed" AFTER INSERT OR UPDATE OR DELETE ON "teams" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "upshot_data_changed"();
--> statement-breakpoint
CREATE TRIGGER "teams_truncated" AFTER TRUNCATE ON "teams" FOR EACH STATEMENT EXECUTE FUNCTION "upshot_data_changed"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "people_data_changed" AFTER INSERT OR UPDATE OR DELETE ON "people" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "upshot_data_changed"();
--> statement-breakpoint
CREATE TRIGGER "people_truncated" AFTER TRUNCATE ON "people" FOR EACH STATEMENT EXECUTE FUNCTION "upshot_data_changed"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "team_memberships_data_changed" AFTER INSERT OR UPDATE OR DELETE ON "team_memberships" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "upshot_data_changed"();
--> statement-breakpoint
CREATE TRIGGER "team_memberships_truncated" AFTER TRUNCATE ON "team_memberships" FOR EACH STATEMENT EXECUTE FUNCTION "upshot_data_changed"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "repositories_data_changed" AFTER INSERT OR UPDATE OR DELETE ON "repositories" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "upshot_data_changed"();
--> statement-breakpoint
CREATE TRIGGER "repositories_truncated" AFTER TRUNCATE ON "repositories" FOR EACH STATEMENT EXECUTE FUNCTION "upshot_data_changed"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "services_data_changed" AFTER INSERT OR UPDATE OR DELETE ON "services" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "upshot_data_changed"();
--> statement-breakpoint
CREATE TRIGGER "services_truncated" AFTER TRUNCATE ON "services" FOR EACH STATEMENT EXECUTE FUNCTION "upshot_data_changed"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "milestones_data_changed" AFTER INSERT OR UPDATE OR DELETE ON "milestones" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "upshot_data_changed"();
--> statement-breakpoint
CREATE TRIGGER "milestones_truncated" AFTER TRUNCATE ON "milestones" FOR EACH STATEMENT EXECUTE FUNCTION "upshot_data_changed"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "initiatives_data_changed" AFTER INSERT OR UPDATE OR DELETE ON "initiatives" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "upshot_data_changed"();
--> statement-breakpoint
CREATE TRIGGER "initiatives_truncated" AFTER TRUNCATE ON "initiatives" FOR EACH STATEMENT EXECUTE FUNCTION "upshot_data_changed"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "initiative_teams_data_changed" AFTER INSERT OR UPDATE OR DELETE ON "initiative_teams" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "upshot_data_changed"();
--> statement-breakpoint
CREATE TRIGGER "initiative_teams_truncated" AFTER TRUNCATE ON "initiative_teams" FOR EACH STATEMENT EXECUTE FUNCTION "upshot_data_changed"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "survey_waves_data_changed" AFTER INSERT OR UPDATE OR DELETE ON "survey_waves" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "upshot_data_changed"();
--> statement-breakpoint
CREATE TRIGGER "survey_waves_truncated" AFTER TRUNCATE ON "survey_waves" FOR EACH STATEMENT EXECUTE FUNCTION "upshot_data_changed"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "roi_assumptions_data_changed" AFTER INSERT OR UPDATE OR DELETE ON "roi_assumptions" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "upshot_data_changed"();
--> statement-breakpoint
CREATE TRIGGER "roi_assumptions_truncated" AFTER TRUNCATE ON "roi_assumptions" FOR EACH STATEMENT EXECUTE FUNCTION "upshot_data_changed"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "settings_data_changed" AFTER INSERT OR UPDATE OR DELETE ON "settings" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "upshot_data_changed"();
--> statement-breakpoint
CREATE TRIGGER "settings_truncated" AFTER TRUNCATE ON "settings" FOR EACH STATEMENT EXECUTE FUNCTION "upshot_data_changed"();
--> statement-breakpoint
-- a sync run's completion: what it collected is now part of the figures
CREATE CONSTRAINT TRIGGER "sync_runs_data_changed" AFTER UPDATE OF "status" ON "sync_runs" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (OLD."status" = 'running' AND NEW."status" <> 'running') EXECUTE FUNCTION "upshot_data_changed"();
--> statement-breakpoint
-- the rollups: refreshTeamWeeks bumps the version itself (upshot_bump_data_version, its last statement); a
-- truncation (tests, a rebuild) does too
CREATE TRIGGER "rollups_team_weeks_truncated" AFTER TRUNCATE ON "rollups_team_weeks" FOR EACH STATEMENT EXECUTE FUNCTION "upshot_data_changed"();

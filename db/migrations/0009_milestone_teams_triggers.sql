-- Custom SQL (drizzle-kit generate --custom): a milestone's teams move data_version like the milestone itself
-- (0006_data_version_triggers.sql), so a page never keeps a launch line for teams it no longer applies to.
CREATE CONSTRAINT TRIGGER "milestone_teams_data_changed" AFTER INSERT OR UPDATE OR DELETE ON "milestone_teams" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "upshot_data_changed"();
--> statement-breakpoint
CREATE TRIGGER "milestone_teams_truncated" AFTER TRUNCATE ON "milestone_teams" FOR EACH STATEMENT EXECUTE FUNCTION "upshot_data_changed"();

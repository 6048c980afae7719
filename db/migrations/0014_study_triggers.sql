-- Custom SQL (drizzle-kit generate --custom): a time-in-motion study's rows feed the docs find-time figures and
-- the ROI, read straight from the table (no rollup), so every write to them moves data_version like the other
-- inputs of 0006.
CREATE CONSTRAINT TRIGGER "study_observations_data_changed" AFTER INSERT OR UPDATE OR DELETE ON "study_observations" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "upshot_data_changed"();
--> statement-breakpoint
CREATE TRIGGER "study_observations_truncated" AFTER TRUNCATE ON "study_observations" FOR EACH STATEMENT EXECUTE FUNCTION "upshot_data_changed"();

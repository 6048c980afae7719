-- Custom SQL (drizzle-kit generate --custom): an initiative's goals are shown on its page and its one-pager,
-- which are read models cached by data version, so every write to them moves data_version like the other
-- inputs of 0006. (Subscriptions, deliveries, snapshots and share links feed no read model: no trigger.)
CREATE CONSTRAINT TRIGGER "initiative_goals_data_changed" AFTER INSERT OR UPDATE OR DELETE ON "initiative_goals" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "upshot_data_changed"();
--> statement-breakpoint
CREATE TRIGGER "initiative_goals_truncated" AFTER TRUNCATE ON "initiative_goals" FOR EACH STATEMENT EXECUTE FUNCTION "upshot_data_changed"();

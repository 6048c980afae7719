CREATE TABLE "read_models" (
	"name" text NOT NULL,
	"inputs" text NOT NULL,
	"day" date NOT NULL,
	"data_version" bigint NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"value" text NOT NULL,
	CONSTRAINT "read_models_name_inputs_pk" PRIMARY KEY("name","inputs")
);
--> statement-breakpoint
CREATE INDEX "read_models_computed_at" ON "read_models" USING btree ("computed_at");
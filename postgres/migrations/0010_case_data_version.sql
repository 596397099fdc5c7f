-- A per-case data version (issues 5 and 6): bumped in the same transaction
-- as every write that changes what victim protection, the text scrubber or
-- the network graph read (entities, statements, links, records, screenings,
-- identity judgements and runs, need-to-know grants), so that caches of
-- derived data check one primary-key read instead of counting rows. A
-- rolled-back write leaves it unchanged. Keep in step with
-- sqlite/migrations/0010_case_data_version.sql.
ALTER TABLE cases ADD COLUMN data_version bigint NOT NULL DEFAULT 0;

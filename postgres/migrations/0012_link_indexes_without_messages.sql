-- The parser's message and call links (one per recipient, most of a case's
-- links) leave the account and schema indexes of links (issue 5): no read
-- looks them up there (Links reads a case's links, or one entity's, in id
-- order through the primary key; the protection walk and the money views
-- look up other schemas), and writing three index entries per message was
-- a large part of the parse job's CPU. The indexes keep every other link;
-- a query that wants them states "schema NOT IN ('Message', 'Call')"
-- word for word, as the partial index does, so that the planner can use it.
-- Keep in step with sqlite/migrations/0012_link_indexes_without_messages.sql.
DROP INDEX links_source;
DROP INDEX links_target;
DROP INDEX links_schema;
CREATE INDEX links_source ON links (case_id, source_id) WHERE schema NOT IN ('Message', 'Call');
CREATE INDEX links_target ON links (case_id, target_id) WHERE schema NOT IN ('Message', 'Call');
CREATE INDEX links_schema ON links (case_id, schema) WHERE schema NOT IN ('Message', 'Call');

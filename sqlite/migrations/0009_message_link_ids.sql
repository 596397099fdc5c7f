-- Message links get IDs that sort in the order their records were stored
-- (issue 5): "msg-" + the evidence item's ID (10 digits) + "-" + the
-- record's ID (12 digits) + "-" + 16 hex digits, instead of "msg-" + 32 hex
-- digits of SHA-256, which put every insert on a random page of the links'
-- primary-key index (see ingest.MessageLinkID). The 16 hex digits are the
-- first 16 of the former ID, so a stored link's new ID follows from its own
-- row, and re-parsing its item later computes the same ID (records keep
-- their IDs: they are keyed by item and locator) instead of adding a
-- duplicate. Only links the parser made in the former form are rewritten.
-- Nothing stores link IDs elsewhere: findings cite entities and statements;
-- provenance, exports and payment URLs read the current ID (payments are
-- not "msg-" links). Files exported before keep the former IDs.
-- Keep in step with postgres/migrations/0009_message_link_ids.sql.
UPDATE links
SET id = 'msg-' || printf('%010d', evidence_id) || '-' || printf('%012d', record_id) || '-' || substr(id, 5, 16)
WHERE origin = 'parser' AND evidence_id IS NOT NULL AND record_id IS NOT NULL
	AND length(id) = 36 AND id LIKE 'msg-%' AND substr(id, 5) NOT GLOB '*[^0-9a-f]*';

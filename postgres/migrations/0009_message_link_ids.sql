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
-- Keep in step with sqlite/migrations/0009_message_link_ids.sql.
UPDATE links
SET id = 'msg-' || lpad(evidence_id::text, greatest(10, length(evidence_id::text)), '0')
	|| '-' || lpad(record_id::text, greatest(12, length(record_id::text)), '0') || '-' || substr(id, 5, 16)
WHERE origin = 'parser' AND evidence_id IS NOT NULL AND record_id IS NOT NULL
	AND id ~ '^msg-[0-9a-f]{32}$';

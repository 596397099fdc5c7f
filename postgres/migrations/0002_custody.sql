-- Chain-of-custody log: an append-only RFC 6962 Merkle tree of canonical
-- JSON events (package custody), with its signed checkpoints.

-- custody_state is the one row holding the tree's size, its compact range
-- (the perfect-subtree hashes covering [0, size), largest first, back to
-- back) and root. Appends update it first, which locks the row until commit:
-- appenders queue on it and the sequence stays gapless.
CREATE TABLE custody_state (
	id            integer PRIMARY KEY CHECK (id = 1),
	size          bigint NOT NULL,
	compact_range bytea NOT NULL,
	root_hash     bytea NOT NULL
);
INSERT INTO custody_state (id, size, compact_range, root_hash)
VALUES (1, 0, ''::bytea, '\xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'::bytea);

CREATE TABLE custody_events (
	seq             bigint PRIMARY KEY,
	case_id         bigint NOT NULL REFERENCES cases (id),
	evidence_id     bigint NOT NULL,
	evidence_sha256 text NOT NULL,
	action          text NOT NULL,
	user_id         bigint REFERENCES users (id),
	username        text NOT NULL,
	time            timestamptz NOT NULL,
	tool            text NOT NULL,
	tool_version    text NOT NULL,
	details         text NOT NULL,
	leaf            bytea NOT NULL,
	leaf_hash       bytea NOT NULL CHECK (length(leaf_hash) = 32),
	root_hash       bytea NOT NULL CHECK (length(root_hash) = 32), -- root of the tree of size seq+1
	FOREIGN KEY (case_id, evidence_id) REFERENCES evidence (case_id, id)
);
CREATE INDEX custody_events_evidence ON custody_events (case_id, evidence_id, seq);

CREATE TABLE custody_checkpoints (
	size       bigint PRIMARY KEY,
	root_hash  bytea NOT NULL,
	note       text NOT NULL,
	timestamp  bytea,
	created_at timestamptz NOT NULL
);

CREATE FUNCTION custody_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER custody_events_no_change BEFORE UPDATE OR DELETE ON custody_events
	FOR EACH ROW EXECUTE FUNCTION custody_append_only();
CREATE TRIGGER custody_events_no_truncate BEFORE TRUNCATE ON custody_events
	FOR EACH STATEMENT EXECUTE FUNCTION custody_append_only();
CREATE TRIGGER custody_checkpoints_no_change BEFORE UPDATE OR DELETE ON custody_checkpoints
	FOR EACH ROW EXECUTE FUNCTION custody_append_only();
CREATE TRIGGER custody_checkpoints_no_truncate BEFORE TRUNCATE ON custody_checkpoints
	FOR EACH STATEMENT EXECUTE FUNCTION custody_append_only();
CREATE TRIGGER custody_state_no_delete BEFORE DELETE ON custody_state
	FOR EACH ROW EXECUTE FUNCTION custody_append_only();
CREATE TRIGGER custody_state_no_truncate BEFORE TRUNCATE ON custody_state
	FOR EACH STATEMENT EXECUTE FUNCTION custody_append_only();

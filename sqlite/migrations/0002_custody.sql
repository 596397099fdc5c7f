-- Chain-of-custody log: an append-only RFC 6962 Merkle tree of canonical
-- JSON events (package custody), with its signed checkpoints.

-- custody_state is the one row holding the tree's size, its compact range
-- (the perfect-subtree hashes covering [0, size), largest first, back to
-- back) and root. Appends update it in the same transaction as the event,
-- which serialises appenders and keeps the sequence gapless.
CREATE TABLE custody_state (
	id            INTEGER PRIMARY KEY CHECK (id = 1),
	size          INTEGER NOT NULL,
	compact_range BLOB NOT NULL,
	root_hash     BLOB NOT NULL
);
INSERT INTO custody_state (id, size, compact_range, root_hash)
VALUES (1, 0, X'', X'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
CREATE TRIGGER custody_state_no_delete BEFORE DELETE ON custody_state
BEGIN
	SELECT RAISE(ABORT, 'custody_state cannot be deleted');
END;

CREATE TABLE custody_events (
	seq             INTEGER PRIMARY KEY,
	case_id         INTEGER NOT NULL REFERENCES cases (id),
	evidence_id     INTEGER NOT NULL,
	evidence_sha256 TEXT NOT NULL,
	action          TEXT NOT NULL,
	user_id         INTEGER REFERENCES users (id),
	username        TEXT NOT NULL,
	time            TEXT NOT NULL,
	tool            TEXT NOT NULL,
	tool_version    TEXT NOT NULL,
	details         TEXT NOT NULL,
	leaf            BLOB NOT NULL,
	leaf_hash       BLOB NOT NULL CHECK (length(leaf_hash) = 32),
	root_hash       BLOB NOT NULL CHECK (length(root_hash) = 32), -- root of the tree of size seq+1
	FOREIGN KEY (case_id, evidence_id) REFERENCES evidence (case_id, id)
);
CREATE INDEX custody_events_evidence ON custody_events (case_id, evidence_id, seq);
CREATE TRIGGER custody_events_no_update BEFORE UPDATE ON custody_events
BEGIN
	SELECT RAISE(ABORT, 'custody_events is append-only');
END;
CREATE TRIGGER custody_events_no_delete BEFORE DELETE ON custody_events
BEGIN
	SELECT RAISE(ABORT, 'custody_events is append-only');
END;

CREATE TABLE custody_checkpoints (
	size       INTEGER PRIMARY KEY,
	root_hash  BLOB NOT NULL,
	note       TEXT NOT NULL,
	timestamp  BLOB,
	created_at TEXT NOT NULL
);
CREATE TRIGGER custody_checkpoints_no_update BEFORE UPDATE ON custody_checkpoints
BEGIN
	SELECT RAISE(ABORT, 'custody_checkpoints is append-only');
END;
CREATE TRIGGER custody_checkpoints_no_delete BEFORE DELETE ON custody_checkpoints
BEGIN
	SELECT RAISE(ABORT, 'custody_checkpoints is append-only');
END;

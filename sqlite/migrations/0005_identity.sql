-- Identity resolution (issue 6): analysts' judgements on whether two
-- entities are one person, and the latest resolution run of a case. Keep in
-- step with postgres/migrations/0005_identity.sql.

-- A judgement is append-only: undoing one sets undone_at and undone_by and
-- never deletes the row. entity_a < entity_b; at most one live judgement per
-- pair.
CREATE TABLE identity_judgements (
	id          INTEGER PRIMARY KEY,
	case_id     INTEGER NOT NULL REFERENCES cases (id),
	entity_a    TEXT NOT NULL,
	entity_b    TEXT NOT NULL,
	verdict     TEXT NOT NULL CHECK (verdict IN ('same', 'not_same', 'unsure')),
	reason      TEXT NOT NULL CHECK (reason <> ''),
	score       REAL NOT NULL DEFAULT 0,
	explanation TEXT NOT NULL DEFAULT '',
	created_by  INTEGER REFERENCES users (id),
	created_at  TEXT NOT NULL,
	undone_at   TEXT,
	undone_by   INTEGER REFERENCES users (id),
	CHECK (entity_a < entity_b),
	FOREIGN KEY (case_id, entity_a) REFERENCES entities (case_id, id),
	FOREIGN KEY (case_id, entity_b) REFERENCES entities (case_id, id)
);
CREATE INDEX identity_judgements_a ON identity_judgements (case_id, entity_a);
CREATE INDEX identity_judgements_b ON identity_judgements (case_id, entity_b);
CREATE UNIQUE INDEX identity_judgements_live ON identity_judgements (case_id, entity_a, entity_b) WHERE undone_at IS NULL;

-- A resolution run keeps the resolve package's result as JSON text; the
-- newest run of a case is the one shown.
CREATE TABLE identity_runs (
	id         INTEGER PRIMARY KEY,
	case_id    INTEGER NOT NULL REFERENCES cases (id),
	result     TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX identity_runs_case ON identity_runs (case_id, id);

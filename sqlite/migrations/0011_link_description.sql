-- A link's free text as its source gives it: a payment's statement
-- description or memo ("BOLETOS AEREOS ... 4 PASAJEROS"), which says what
-- was paid for (issue 6, role hints). Keep in step with
-- postgres/migrations/0011_link_description.sql.
ALTER TABLE links ADD COLUMN description TEXT NOT NULL DEFAULT '';

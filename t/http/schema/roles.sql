-- The tables and roles of t/http/schema/roles.graphql (t/http/roles.t).
-- Loaded by t/http/run after schema/hackernews.sql, as the graphql role,
-- which may create roles (t/bin/pg-cluster).
--
-- Requests at /roles run as roles_anon, roles_reader or roles_writer,
-- which the graphql role may take; roles_stranger exists, but it may not.
-- A note belongs to a tenant: the claim app.tenant of the caller decides
-- which notes it sees and writes, and roles_anon sees none.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'roles_anon') THEN
        CREATE ROLE roles_anon NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'roles_reader')
    THEN
        CREATE ROLE roles_reader NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'roles_writer')
    THEN
        CREATE ROLE roles_writer NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'roles_stranger')
    THEN
        CREATE ROLE roles_stranger NOLOGIN;
    END IF;
END
$$;

GRANT roles_anon, roles_reader, roles_writer TO CURRENT_USER;

CREATE TABLE IF NOT EXISTS roles_notes (
    id      bigserial PRIMARY KEY,
    tenant  text NOT NULL,
    body    text NOT NULL
);

INSERT INTO roles_notes (tenant, body)
SELECT t, b FROM (VALUES ('t1', 'one of t1'), ('t1', 'two of t1'),
                         ('t2', 'one of t2')) AS v(t, b)
WHERE NOT EXISTS (SELECT 1 FROM roles_notes);

GRANT SELECT ON roles_notes TO roles_anon, roles_reader, roles_writer;
GRANT INSERT (tenant, body) ON roles_notes TO roles_writer;
GRANT USAGE ON SEQUENCE roles_notes_id_seq TO roles_writer;

ALTER TABLE roles_notes ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS roles_notes_read ON roles_notes;
CREATE POLICY roles_notes_read ON roles_notes FOR SELECT
    TO roles_reader, roles_writer
    USING (tenant = current_setting('request.jwt.claims', true)::json
                    -> 'app' ->> 'tenant');
DROP POLICY IF EXISTS roles_notes_write ON roles_notes;
CREATE POLICY roles_notes_write ON roles_notes FOR INSERT TO roles_writer
    WITH CHECK (tenant = current_setting('request.jwt.claims', true)::json
                         -> 'app' ->> 'tenant');

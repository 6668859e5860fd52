-- The tables of t/http/schema/glue.graphql (t/http/jwt.t, database.t).
-- Loaded by t/http/run after schema/hackernews.sql, as the graphql role.
CREATE TABLE IF NOT EXISTS glue_notes (
    id    bigserial PRIMARY KEY,
    body  text NOT NULL,
    CONSTRAINT glue_notes_body_key UNIQUE (body)
);

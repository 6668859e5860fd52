-- The Hackernews clone's tables.  Safe to run again: every statement is
-- idempotent.  Passwords are stored as bcrypt hashes made by pgcrypto.

CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE TABLE IF NOT EXISTS users (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL,
    email       text NOT NULL UNIQUE,
    password    text NOT NULL
);

CREATE TABLE IF NOT EXISTS links (
    id            bigserial PRIMARY KEY,
    url           text NOT NULL,
    description   text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    posted_by_id  bigint REFERENCES users (id) ON DELETE SET NULL
);

CREATE INDEX IF NOT EXISTS links_posted_by_id ON links (posted_by_id);

CREATE TABLE IF NOT EXISTS votes (
    id       bigserial PRIMARY KEY,
    link_id  bigint NOT NULL REFERENCES links (id) ON DELETE CASCADE,
    user_id  bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    UNIQUE (link_id, user_id)
);

CREATE INDEX IF NOT EXISTS votes_user_id ON votes (user_id);

-- The Hackernews clone's tables.  Safe to run again: every statement is
-- idempotent.  Passwords are stored as bcrypt hashes made by pgcrypto.
--
-- The constraints are named because schema/hackernews.graphql names them
-- in @sqlError (an email taken, a second vote, a vote for no link).

CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE TABLE IF NOT EXISTS users (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL,
    email       text NOT NULL,
    password    text NOT NULL,
    CONSTRAINT users_email_key UNIQUE (email)
);

CREATE TABLE IF NOT EXISTS links (
    id            bigserial PRIMARY KEY,
    url           text NOT NULL,
    description   text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    posted_by_id  bigint,
    CONSTRAINT links_posted_by_id_fkey FOREIGN KEY (posted_by_id)
        REFERENCES users (id) ON DELETE SET NULL
);

CREATE INDEX IF NOT EXISTS links_posted_by_id ON links (posted_by_id);

CREATE TABLE IF NOT EXISTS votes (
    id       bigserial PRIMARY KEY,
    link_id  bigint NOT NULL,
    user_id  bigint NOT NULL,
    CONSTRAINT votes_link_id_fkey FOREIGN KEY (link_id)
        REFERENCES links (id) ON DELETE CASCADE,
    CONSTRAINT votes_user_id_fkey FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT votes_link_id_user_id_key UNIQUE (link_id, user_id)
);

CREATE INDEX IF NOT EXISTS votes_user_id ON votes (user_id);

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

-- Row-level security: PostgreSQL, not the SQL of the schema, decides what
-- a request may see and change.  A request runs as one of two roles,
-- which mod_graphql takes for the transaction (GraphQLAnonymousRole,
-- GraphQLDefaultRole), with the caller's verified claims in the setting
-- request.jwt.claims:
--
--   hn_anonymous   a request without a token: reads links, votes and
--                  names; signs up and logs in
--   hn_user        a caller: also sees its own email, posts links and
--                  votes as itself only, deletes its own links and votes
--
-- mod_graphql connects as hn_authenticator, which may take either role
-- and has no rights of its own (NOINHERIT).  The tables' owner may take
-- them too, to serve the API as the tests do.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hn_anonymous')
    THEN
        CREATE ROLE hn_anonymous NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hn_user') THEN
        CREATE ROLE hn_user NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles
                   WHERE rolname = 'hn_authenticator') THEN
        CREATE ROLE hn_authenticator LOGIN NOINHERIT;
    END IF;
END
$$;

GRANT hn_anonymous, hn_user TO hn_authenticator;
GRANT hn_anonymous, hn_user TO CURRENT_USER;

-- The caller's user id: the claim sub of request.jwt.claims, or null (no
-- caller, or a sub that is no user id).
CREATE OR REPLACE FUNCTION hn_viewer() RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN c->>'sub' ~ '^[0-9]{1,18}$'
                THEN (c->>'sub')::bigint END
    FROM (SELECT nullif(current_setting('request.jwt.claims', true),
                        '')::json AS c) AS s
$$;

-- (An earlier version read names through a view; users' public columns
-- are now readable as they are.)
DROP VIEW IF EXISTS user_names;

-- Signing up and logging in need what no request's role may read (the
-- password hashes, another's row): functions that run as their owner do
-- it, and return the account's public columns only.
CREATE OR REPLACE FUNCTION hn_signup(p_name text, p_email text,
                                     p_password text)
RETURNS TABLE (id bigint, "user" json)
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    INSERT INTO users (name, email, password)
    VALUES (p_name, p_email, crypt(p_password, gen_salt('bf')))
    RETURNING id, json_build_object('id', id, 'name', name, 'email', email)
$$;

-- One answer for a wrong email and a wrong password, and bcrypt runs in
-- both cases: the left join stays outer (coalesce is not strict), so an
-- unknown email costs a crypt() too.
CREATE OR REPLACE FUNCTION hn_login(p_email text, p_password text)
RETURNS TABLE (id bigint, "user" json)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT u.id,
           json_build_object('id', u.id, 'name', u.name, 'email', u.email)
    FROM (SELECT p_email AS email) AS x
    LEFT JOIN users u ON u.email = x.email
    WHERE coalesce(u.password, '') =
          crypt(p_password, coalesce(u.password, gen_salt('bf')))
$$;

REVOKE ALL ON FUNCTION hn_signup(text, text, text), hn_login(text, text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hn_signup(text, text, text), hn_login(text, text)
    TO hn_anonymous, hn_user;

GRANT SELECT (id, name, email) ON users TO hn_anonymous, hn_user;
GRANT SELECT ON links, votes TO hn_anonymous, hn_user;
GRANT INSERT (url, description, posted_by_id), DELETE ON links TO hn_user;
GRANT INSERT (link_id, user_id), DELETE ON votes TO hn_user;
GRANT USAGE ON SEQUENCE links_id_seq, votes_id_seq TO hn_user;

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE links ENABLE ROW LEVEL SECURITY;
ALTER TABLE votes ENABLE ROW LEVEL SECURITY;

-- The policies are made anew at every run.
DO $$
DECLARE
    p record;
BEGIN
    FOR p IN SELECT policyname, tablename FROM pg_policies
             WHERE schemaname = current_schema()
               AND tablename IN ('users', 'links', 'votes') LOOP
        EXECUTE format('DROP POLICY %I ON %I', p.policyname, p.tablename);
    END LOOP;
END
$$;

-- Users: everyone reads the public columns the API shows (id, name,
-- email: the grant above leaves the password hash to the functions);
-- rows are added by hn_signup only (no INSERT grant).
CREATE POLICY users_read ON users FOR SELECT USING (true);

-- Links and votes: everyone reads them; a caller inserts and deletes its
-- own only.
CREATE POLICY links_read ON links FOR SELECT USING (true);
CREATE POLICY votes_read ON votes FOR SELECT USING (true);
CREATE POLICY links_post ON links FOR INSERT TO hn_user
    WITH CHECK (posted_by_id = hn_viewer());
CREATE POLICY votes_cast ON votes FOR INSERT TO hn_user
    WITH CHECK (user_id = hn_viewer());
CREATE POLICY links_delete ON links FOR DELETE TO hn_user
    USING (posted_by_id = hn_viewer());
CREATE POLICY votes_withdraw ON votes FOR DELETE TO hn_user
    USING (user_id = hn_viewer());

-- Subscriptions (schema/hackernews.graphql's newLink and newVote): each
-- new link and vote is announced on its channel with its id, when its
-- transaction commits.  The subscribers read the row themselves.
CREATE OR REPLACE FUNCTION hn_announce() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(TG_ARGV[0], NEW.id::text);
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS links_announce ON links;
CREATE TRIGGER links_announce AFTER INSERT ON links
    FOR EACH ROW EXECUTE FUNCTION hn_announce('hn_new_link');
DROP TRIGGER IF EXISTS votes_announce ON votes;
CREATE TRIGGER votes_announce AFTER INSERT ON votes
    FOR EACH ROW EXECUTE FUNCTION hn_announce('hn_new_vote');

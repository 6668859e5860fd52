-- bench/hackernews-seed.sql: the benchmark's database for the Hackernews
-- schema: 1,000 users, 10,000 links, 50,000 votes (five per link, from
-- five different users).  Replaces whatever the tables held, so every run
-- measures the same data.

TRUNCATE users, links, votes RESTART IDENTITY CASCADE;

-- One bcrypt hash for everyone: a thousand would take seconds to make.
INSERT INTO users (name, email, password)
SELECT 'User ' || i, 'user' || i || '@example.com', h.hash
FROM generate_series(1, 1000) AS i,
     (SELECT crypt('secret', gen_salt('bf')) AS hash) AS h;

INSERT INTO links (url, description, created_at, posted_by_id)
SELECT 'https://example.com/' || i,
       'Link number ' || i || ' about ' || (ARRAY['httpd', 'PostgreSQL',
           'GraphQL', 'C', 'JSON'])[1 + i % 5],
       timestamptz '2024-01-01 00:00:00+00' + i * interval '1 minute',
       1 + (i * 7) % 1000
FROM generate_series(1, 10000) AS i;

-- Link l gets the votes of users 1 + (7l + 131k) mod 1000, k = 0..4:
-- five distinct users, since 131k mod 1000 differs for each k.
INSERT INTO votes (link_id, user_id)
SELECT l, 1 + (l * 7 + k * 131) % 1000
FROM generate_series(1, 10000) AS l, generate_series(0, 4) AS k
ORDER BY l, k;

ANALYZE users;
ANALYZE links;
ANALYZE votes;

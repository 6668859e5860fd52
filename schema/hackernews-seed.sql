-- A little seed data for the demo; inserts nothing twice.

INSERT INTO users (name, email, password)
VALUES ('Alice', 'alice@example.com', crypt('alice-secret', gen_salt('bf'))),
       ('Bob', 'bob@example.com', crypt('bob-secret', gen_salt('bf')))
ON CONFLICT (email) DO NOTHING;

INSERT INTO links (url, description, posted_by_id)
SELECT v.url, v.description, u.id
FROM (VALUES
        ('https://httpd.apache.org', 'The Apache HTTP Server', 'alice@example.com'),
        ('https://www.postgresql.org', 'PostgreSQL', 'bob@example.com'),
        ('https://spec.graphql.org', 'The GraphQL specification', 'alice@example.com')
     ) AS v (url, description, email)
JOIN users u ON u.email = v.email
WHERE NOT EXISTS (SELECT 1 FROM links l WHERE l.url = v.url);

INSERT INTO votes (link_id, user_id)
SELECT l.id, u.id FROM links l CROSS JOIN users u
ON CONFLICT (link_id, user_id) DO NOTHING;

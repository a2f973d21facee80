-- name: UserByKeyHash :one
SELECT u.id, u.name, u.role, k.id AS key_id, k.last_used_at
FROM api_keys k
JOIN users u ON u.id = k.user_id
WHERE k.hash = @hash AND k.revoked_at IS NULL AND u.active;

-- name: TouchAPIKey :exec
-- Notes a key's use at most once a minute, so a busy client does not write on every call.
UPDATE api_keys SET last_used_at = now()
WHERE id = @id AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute');

-- name: UserByName :one
SELECT * FROM users WHERE name = @name;

-- name: InsertUser :one
INSERT INTO users (name, role) VALUES (@name, @role)
RETURNING *;

-- name: InsertAPIKey :one
INSERT INTO api_keys (user_id, prefix, hash) VALUES (@user_id, @prefix, @hash)
RETURNING *;

-- name: RevokeAPIKey :one
UPDATE api_keys SET revoked_at = now()
WHERE prefix = @prefix AND revoked_at IS NULL
RETURNING *;

-- name: APIKeys :many
SELECT k.id, k.prefix, k.created_at, k.last_used_at, k.revoked_at, u.name AS user_name, u.role
FROM api_keys k
JOIN users u ON u.id = k.user_id
ORDER BY k.id;

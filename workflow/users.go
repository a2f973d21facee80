package workflow

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/reclaimhq/reclaim/db/dbsqlc"
	"github.com/reclaimhq/reclaim/workflow/errs"
)

// keyPrefix starts every API key, so a leaked one is easy to recognize and scan for.
const keyPrefix = "rcl_"

var keyEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// UserSpec names a user, the role it has and, optionally, the queues it works.
type UserSpec struct {
	Name string
	Role Role
	// Queues, when not nil, replaces the user's queue membership (names of queues).
	Queues []string
}

// CreateKey makes a new API key and returns it; only its hash is stored, so this is the
// one time it can be seen. A user new to Reclaim is created with the role; an existing
// user must already have it (a key never changes what someone may do).
func (s *Service) CreateKey(ctx context.Context, actor Actor, req UserSpec) (string, error) {
	if !req.Role.Valid() {
		return "", errs.Invalidf([]errs.Detail{{Location: "role", Message: fmt.Sprintf("must be one of %v", Roles), Value: req.Role}}, "unknown role %q", req.Role)
	}
	secret := make([]byte, 32)
	public := make([]byte, 5)
	if _, err := rand.Read(secret); err != nil {
		return "", fmt.Errorf("error generating key: %w", err)
	}
	_, _ = rand.Read(public)
	prefix := keyPrefix + strings.ToLower(keyEncoding.EncodeToString(public))
	key := prefix + "_" + strings.ToLower(keyEncoding.EncodeToString(secret))

	err := s.inTx(ctx, func(_ pgx.Tx, q *dbsqlc.Queries) error {
		user, err := ensureUser(ctx, q, actor, req)
		if err != nil {
			return err
		}
		hash := sha256.Sum256([]byte(key))
		if _, err := q.InsertAPIKey(ctx, dbsqlc.InsertAPIKeyParams{UserID: user.ID, Prefix: prefix, Hash: hash[:]}); err != nil {
			return fmt.Errorf("error storing key: %w", err)
		}
		return insertEvents(ctx, q, []dbsqlc.InsertEventsParams{newEvent(actor, 0, 0, "key.created", map[string]any{
			"user": user.Name, "role": user.Role, "prefix": prefix, "queues": req.Queues,
		})})
	})
	if err != nil {
		return "", err
	}
	return key, nil
}

// EnsureUser creates a user when new and, when req.Queues is not nil, sets the user's queue
// membership; an existing user must already have the role.
func (s *Service) EnsureUser(ctx context.Context, actor Actor, req UserSpec) error {
	if !req.Role.Valid() {
		return errs.E(errs.Invalid, "unknown role %q", req.Role)
	}
	return s.inTx(ctx, func(_ pgx.Tx, q *dbsqlc.Queries) error {
		_, err := ensureUser(ctx, q, actor, req)
		return err
	})
}

func ensureUser(ctx context.Context, q *dbsqlc.Queries, actor Actor, req UserSpec) (dbsqlc.User, error) {
	user, err := q.UserByName(ctx, req.Name)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		if user, err = q.InsertUser(ctx, dbsqlc.InsertUserParams{Name: req.Name, Role: string(req.Role)}); err != nil {
			if isCheckViolation(err) {
				return user, errs.E(errs.Invalid, "user name %q: use 1 to 64 letters, digits and . _ @ -, starting with a letter or digit", req.Name)
			}
			return user, fmt.Errorf("error creating user %s: %w", req.Name, err)
		}
		if err := insertEvents(ctx, q, []dbsqlc.InsertEventsParams{newEvent(actor, 0, 0, "user.created", map[string]any{
			"user": user.Name, "role": user.Role,
		})}); err != nil {
			return user, err
		}
	case err != nil:
		return user, fmt.Errorf("error reading user %s: %w", req.Name, err)
	case Role(user.Role) != req.Role:
		return user, errs.E(errs.Conflict, "user %s has role %s, not %s", req.Name, user.Role, req.Role)
	case !user.Active:
		return user, errs.E(errs.Conflict, "user %s is deactivated", req.Name)
	}
	if req.Queues != nil {
		if req.Role == RoleBilling {
			return user, errs.E(errs.Invalid, "a billing user works no queue")
		}
		if err := setMembership(ctx, q, user.ID, req.Queues); err != nil {
			return user, err
		}
	}
	return user, nil
}

func setMembership(ctx context.Context, q *dbsqlc.Queries, userID int64, names []string) error {
	queues, err := q.QueuesByName(ctx, names)
	if err != nil {
		return fmt.Errorf("error reading queues: %w", err)
	}
	ids := make([]int64, 0, len(queues))
	for _, name := range names {
		i := slices.IndexFunc(queues, func(q dbsqlc.Queue) bool { return q.Name == name })
		if i < 0 {
			return errs.E(errs.Invalid, "no queue named %q", name)
		}
		ids = append(ids, queues[i].ID)
	}
	if err := q.ClearMemberships(ctx, userID); err != nil {
		return fmt.Errorf("error clearing queue membership: %w", err)
	}
	if err := q.AddMemberships(ctx, dbsqlc.AddMembershipsParams{QueueIds: ids, UserID: userID}); err != nil {
		return fmt.Errorf("error setting queue membership: %w", err)
	}
	return nil
}

// RevokeKey revokes a key, named by its public prefix (rcl_xxxxxxxx) or given whole.
func (s *Service) RevokeKey(ctx context.Context, actor Actor, key string) error {
	prefix := key
	if i := strings.LastIndexByte(key, '_'); i > len(keyPrefix) {
		prefix = key[:i]
	}
	return s.inTx(ctx, func(_ pgx.Tx, q *dbsqlc.Queries) error {
		k, err := q.RevokeAPIKey(ctx, prefix)
		if errors.Is(err, pgx.ErrNoRows) {
			return errs.E(errs.NotFound, "no live key %s", prefix)
		}
		if err != nil {
			return fmt.Errorf("error revoking key %s: %w", prefix, err)
		}
		return insertEvents(ctx, q, []dbsqlc.InsertEventsParams{newEvent(actor, 0, 0, "key.revoked", map[string]any{
			"prefix": k.Prefix, "user_id": k.UserID,
		})})
	})
}

// KeyInfo describes a key without revealing it.
type KeyInfo struct {
	Prefix     string     `json:"prefix"`
	User       string     `json:"user"`
	Role       string     `json:"role"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// Keys lists every key.
func (s *Service) Keys(ctx context.Context) ([]KeyInfo, error) {
	rows, err := s.queries.APIKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("error listing keys: %w", err)
	}
	out := make([]KeyInfo, len(rows))
	for i, r := range rows {
		out[i] = KeyInfo{Prefix: r.Prefix, User: r.UserName, Role: r.Role, CreatedAt: r.CreatedAt, LastUsedAt: r.LastUsedAt, RevokedAt: r.RevokedAt}
	}
	return out, nil
}

// Authenticate finds the user a key belongs to. A missing, unknown or revoked key, or one
// of a deactivated user, is Unauthenticated.
func (s *Service) Authenticate(ctx context.Context, key string) (Actor, error) {
	if !strings.HasPrefix(key, keyPrefix) || len(key) > 200 {
		return Actor{}, errs.E(errs.Unauthenticated, "not a Reclaim API key")
	}
	hash := sha256.Sum256([]byte(key))
	u, err := s.queries.UserByKeyHash(ctx, hash[:])
	if errors.Is(err, pgx.ErrNoRows) {
		return Actor{}, errs.E(errs.Unauthenticated, "unknown or revoked API key")
	}
	if err != nil {
		return Actor{}, fmt.Errorf("error checking API key: %w", err)
	}
	if u.LastUsedAt == nil || s.clock.Now().Sub(*u.LastUsedAt) > time.Minute {
		if err := s.queries.TouchAPIKey(ctx, u.KeyID); err != nil {
			s.logger.WarnContext(ctx, "could not note key use", "error", err)
		}
	}
	return Actor{UserID: u.ID, Name: u.Name, Role: Role(u.Role)}, nil
}

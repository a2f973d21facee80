// Package dbtest gives each test its own database, migrated to the current schema and
// dropped when the test ends, so tests run in parallel against real Postgres without
// seeing each other's rows and never touch a database anyone cares about.
//
// The server comes from TEST_DATABASE_URL, else DATABASE_URL, else the local default
// (postgres@127.0.0.1:5432); `make test` finds or starts one and sets TEST_DATABASE_URL.
// Only databases named reclaim_test_* and reclaim_tmpl_* are ever created or dropped.
// A server that cannot be reached fails the test: database tests are never skipped.
package dbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/reclaimhq/reclaim/db"
)

// ServerURL is the URL of the server tests create their databases on.
func ServerURL() string {
	for _, env := range []string{"TEST_DATABASE_URL", "DATABASE_URL"} {
		if u := os.Getenv(env); u != "" {
			return u
		}
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
)

// New returns a pool on a new, migrated database that is dropped when the test ends.
func New(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, _ := NewWithURL(t)
	return pool
}

// NewWithURL is New that also returns the database's URL, for code under test that opens
// its own connections (a command, a second process).
func NewWithURL(t testing.TB) (*pgxpool.Pool, string) {
	t.Helper()
	templateOnce.Do(func() { templateName, templateErr = ensureTemplate(context.Background()) })
	if templateErr != nil {
		t.Fatalf("test database template: %v", templateErr)
	}
	return create(t, templateName)
}

// NewEmpty returns the URL of a new database with no schema at all, dropped when the test
// ends: for tests of migration itself.
func NewEmpty(t testing.TB) string {
	t.Helper()
	pool, url := create(t, "template0")
	pool.Close()
	return url
}

func create(t testing.TB, template string) (*pgxpool.Pool, string) {
	t.Helper()
	ctx := context.Background()
	name := "reclaim_test_" + randomSuffix()
	admin := connectAdmin(t, ctx)
	if _, err := admin.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, template)); err != nil {
		t.Fatalf("error creating test database %s: %v", name, err)
	}
	admin.Close(ctx)

	url := databaseURL(t, name)
	pool, err := db.Open(ctx, url)
	if err != nil {
		t.Fatalf("error opening test database: %v", err)
	}
	t.Cleanup(func() {
		pool.Close()
		admin := connectAdmin(t, context.Background())
		defer admin.Close(context.Background())
		if _, err := admin.Exec(context.Background(), fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name)); err != nil {
			t.Errorf("error dropping test database %s: %v", name, err)
		}
	})
	return pool, url
}

func connectAdmin(t testing.TB, ctx context.Context) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(ctx, ServerURL())
	if err != nil {
		t.Fatalf("error reaching the test Postgres server (set TEST_DATABASE_URL, or run `make test`): %v", err)
	}
	return conn
}

func databaseURL(t testing.TB, name string) string {
	t.Helper()
	cfg, err := pgx.ParseConfig(ServerURL())
	if err != nil {
		t.Fatalf("error parsing test database URL: %v", err)
	}
	cfg.Database = name
	return configURL(cfg)
}

// configURL writes a connection config back as a URL.
func configURL(cfg *pgx.ConnConfig) string {
	host := cfg.Host
	q := "sslmode=disable"
	if len(host) > 0 && host[0] == '/' { // a Unix socket directory
		q += "&host=" + host
		host = ""
	}
	user := cfg.User
	if cfg.Password != "" {
		user += ":" + cfg.Password
	}
	if host == "" {
		return fmt.Sprintf("postgres://%s@:%d/%s?%s", user, cfg.Port, cfg.Database, q)
	}
	return fmt.Sprintf("postgres://%s@%s:%d/%s?%s", user, host, cfg.Port, cfg.Database, q)
}

// ensureTemplate builds, once per schema version and server, a migrated database that
// every test database is copied from; copying is much faster than migrating.
func ensureTemplate(ctx context.Context) (string, error) {
	sum, err := schemaHash()
	if err != nil {
		return "", err
	}
	name := "reclaim_tmpl_" + sum[:16]

	admin, err := pgx.Connect(ctx, ServerURL())
	if err != nil {
		return "", fmt.Errorf("error reaching the test Postgres server at %s (set TEST_DATABASE_URL, or run `make test`): %w", ServerURL(), err)
	}
	defer admin.Close(ctx)

	// Test binaries of several packages start at once: one builds, the others wait.
	if _, err := admin.Exec(ctx, "SELECT pg_advisory_lock(8026, 2)"); err != nil {
		return "", fmt.Errorf("error locking template build: %w", err)
	}
	defer admin.Exec(ctx, "SELECT pg_advisory_unlock(8026, 2)") //nolint:errcheck // closing the connection unlocks too

	var ready bool
	err = admin.QueryRow(ctx, "SELECT datistemplate FROM pg_database WHERE datname = $1", name).Scan(&ready)
	switch {
	case err == nil && ready:
		return name, nil
	case err == nil: // a build that died half way
		if _, err := admin.Exec(ctx, "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			return "", fmt.Errorf("error dropping unfinished template: %w", err)
		}
	case err != pgx.ErrNoRows:
		return "", fmt.Errorf("error looking for template: %w", err)
	}

	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("error creating template: %w", err)
	}
	cfg, err := pgx.ParseConfig(ServerURL())
	if err != nil {
		return "", err
	}
	cfg.Database = name
	pool, err := db.Open(ctx, configURL(cfg))
	if err != nil {
		return "", err
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	migrateCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	err = db.Migrate(migrateCtx, pool, logger)
	pool.Close()
	if err != nil {
		return "", fmt.Errorf("error migrating template: %w", err)
	}
	if _, err := admin.Exec(ctx, "ALTER DATABASE "+name+" WITH is_template true"); err != nil {
		return "", fmt.Errorf("error marking template: %w", err)
	}
	return name, nil
}

// schemaHash fingerprints the migrations, so a schema change builds a new template.
func schemaHash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(db.Migrations(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(db.Migrations(), path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%s\x00", path, b)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("error reading migrations: %w", err)
	}
	fmt.Fprint(h, db.RiverSchemaVersion())
	return hex.EncodeToString(h.Sum(nil)), nil
}

func randomSuffix() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

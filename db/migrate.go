package db

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations is Reclaim's own schema history, in goose's format.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the directory is embedded: it exists
	}
	return sub
}

// riverMigrationLock is the advisory lock id that serializes River's migrations: its
// migrator takes no lock of its own, and several processes may start at once.
const riverMigrationLock = 8026_0001

// Migrate brings the database up to date: River's tables first, then Reclaim's. Several
// processes may call it at the same moment; each migration is applied once.
func Migrate(ctx context.Context, pool *pgxpool.Pool, logger *slog.Logger) error {
	if err := migrateRiver(ctx, pool, logger); err != nil {
		return err
	}
	provider, closeProvider, err := newGoose(pool, logger)
	if err != nil {
		return err
	}
	defer closeProvider()
	results, err := provider.Up(ctx)
	if err != nil {
		return fmt.Errorf("error applying Reclaim migrations: %w", err)
	}
	for _, r := range results {
		logger.InfoContext(ctx, "applied migration", "version", r.Source.Version, "duration", r.Duration)
	}
	return nil
}

func migrateRiver(ctx context.Context, pool *pgxpool.Pool, logger *slog.Logger) error {
	migrator, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Logger: logger})
	if err != nil {
		return fmt.Errorf("error creating River migrator: %w", err)
	}
	// River's migrations each run in their own transaction (one adds an enum value a later
	// one uses), so a session lock held on a connection of its own serializes them.
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("error acquiring connection for River migrations: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", riverMigrationLock); err != nil {
		return fmt.Errorf("error locking River migrations: %w", err)
	}
	defer func() {
		if _, err := conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", riverMigrationLock); err != nil {
			conn.Conn().Close(context.Background()) // closing the session releases the lock
		}
	}()
	res, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return fmt.Errorf("error applying River migrations: %w", err)
	}
	for _, v := range res.Versions {
		logger.InfoContext(ctx, "applied River migration", "version", v.Version, "name", v.Name)
	}
	return nil
}

func newGoose(pool *pgxpool.Pool, logger *slog.Logger) (*goose.Provider, func(), error) {
	// Retry the lock every second for up to five minutes: a process that starts beside
	// another one waits for its migrations rather than failing.
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
	if err != nil {
		return nil, nil, fmt.Errorf("error creating migration lock: %w", err)
	}
	sqlDB := stdlib.OpenDBFromPool(pool)
	provider, err := goose.NewProvider(goose.DialectPostgres, sqlDB, Migrations(),
		goose.WithSessionLocker(locker), goose.WithSlog(logger), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		sqlDB.Close()
		return nil, nil, fmt.Errorf("error creating migration provider: %w", err)
	}
	return provider, func() { sqlDB.Close() }, nil
}

// ErrMigrationsPending says the database is behind the code.
var ErrMigrationsPending = errors.New("migrations pending")

// CheckMigrations reports ErrMigrationsPending, with what is missing, when River's or
// Reclaim's migrations are not all applied.
func CheckMigrations(ctx context.Context, pool *pgxpool.Pool, logger *slog.Logger) error {
	migrator, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Logger: logger})
	if err != nil {
		return fmt.Errorf("error creating River migrator: %w", err)
	}
	res, err := migrator.Validate(ctx, nil)
	if err != nil {
		return fmt.Errorf("error checking River migrations: %w", err)
	}
	if !res.OK {
		return fmt.Errorf("%w: River: %v", ErrMigrationsPending, res.Messages)
	}
	provider, closeProvider, err := newGoose(pool, logger)
	if err != nil {
		return err
	}
	defer closeProvider()
	current, target, err := provider.GetVersions(ctx)
	if err != nil {
		return fmt.Errorf("error checking Reclaim migrations: %w", err)
	}
	if current < target {
		return fmt.Errorf("%w: Reclaim schema at version %d of %d", ErrMigrationsPending, current, target)
	}
	return nil
}

// RiverSchemaVersion is the newest River migration this build applies.
func RiverSchemaVersion() int {
	migrator, err := rivermigrate.New(riverpgxv5.New(nil), nil)
	if err != nil {
		panic(err) // only fails on a bad line name; the default line exists
	}
	all := migrator.AllVersions()
	return all[len(all)-1].Version
}

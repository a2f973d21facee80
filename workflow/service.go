package workflow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/reclaimhq/reclaim/db/dbsqlc"
	"github.com/reclaimhq/reclaim/workflow/rules"
)

// Clock tells the time. Tests set it; everything else uses the system clock.
type Clock interface {
	Now() time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// QueueTriage is the River queue triage jobs run on.
const QueueTriage = "triage"

// Config configures a Service.
type Config struct {
	// Pool is the database. Required.
	Pool *pgxpool.Pool
	// Logger receives the workflow's logs. Default: slog.Default().
	Logger *slog.Logger
	// Clock tells the time. Default: the system clock.
	Clock Clock
	// Location is where "today" is decided, for due dates and deadlines. Default: UTC.
	Location *time.Location
	// Workers is how many triage jobs this process works at once; zero makes a process
	// that enqueues jobs but works none (an import, the demo loader). Default: 0.
	Workers int
	// TriageBatch is how many denials one triage job decides together. Larger batches
	// triage faster; a failing batch is split into one job per denial, so a bad line never
	// holds up its neighbours. Default: 50.
	TriageBatch int
	// NoSweepSchedule leaves the hourly clock sweep unscheduled, for tests that move a
	// clock by hand and sweep when they choose. Sweep jobs inserted by hand still run.
	NoSweepSchedule bool
}

// Service is the denial workflow. Its methods are what the API and the command line call.
type Service struct {
	pool        *pgxpool.Pool
	queries     *dbsqlc.Queries
	river       *river.Client[pgx.Tx]
	logger      *slog.Logger
	clock       Clock
	loc         *time.Location
	triageBatch int
	working     bool
}

// New makes a Service and its River client. Call Start to work jobs.
func New(cfg Config) (*Service, error) {
	if cfg.Pool == nil {
		return nil, errors.New("workflow: a database pool is required")
	}
	s := &Service{
		pool:        cfg.Pool,
		queries:     dbsqlc.New(cfg.Pool),
		logger:      cfg.Logger,
		clock:       cfg.Clock,
		loc:         cfg.Location,
		triageBatch: cfg.TriageBatch,
	}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	if s.clock == nil {
		s.clock = systemClock{}
	}
	if s.loc == nil {
		s.loc = time.UTC
	}
	if s.triageBatch <= 0 {
		s.triageBatch = 50
	}

	workers := river.NewWorkers()
	river.AddWorker(workers, &triageWorker{svc: s})
	river.AddWorker(workers, &sweepWorker{svc: s})
	river.AddWorker(workers, &rewriteTasksWorker{svc: s})

	riverCfg := &river.Config{
		// River's own information (job counts every few seconds) would drown the service's
		// log; its warnings and errors still come through.
		Logger:  slog.New(minLevel{s.logger.Handler(), slog.LevelWarn}),
		Workers: workers,
		// A triage job is a few statements; one that runs for a minute is stuck.
		JobTimeout: time.Minute,
	}
	if cfg.Workers > 0 {
		s.working = true
		riverCfg.Queues = map[string]river.QueueConfig{
			QueueTriage:        {MaxWorkers: cfg.Workers},
			river.QueueDefault: {MaxWorkers: 4},
		}
		if !cfg.NoSweepSchedule {
			riverCfg.PeriodicJobs = []*river.PeriodicJob{periodicSweep()}
		}
	}
	client, err := river.NewClient(riverpgxv5.New(cfg.Pool), riverCfg)
	if err != nil {
		return nil, fmt.Errorf("error creating River client: %w", err)
	}
	s.river = client
	return s, nil
}

// River is the service's River client, for the job UI and for tests.
func (s *Service) River() *river.Client[pgx.Tx] { return s.river }

// Start begins working jobs, when the service was configured with workers.
func (s *Service) Start(ctx context.Context) error {
	if !s.working {
		return nil
	}
	if err := s.river.Start(ctx); err != nil {
		return fmt.Errorf("error starting River: %w", err)
	}
	return nil
}

// Stop finishes the jobs in hand and stops working new ones, waiting until ctx is done;
// jobs still running then are cancelled and retried later by any process.
func (s *Service) Stop(ctx context.Context) error {
	if !s.working {
		return nil
	}
	return s.river.Stop(ctx)
}

// today is the calendar date now, where the service is.
func (s *Service) today() time.Time { return rules.Today(s.clock.Now(), s.loc) }

// inTx runs fn in a transaction, committing when it returns nil.
func (s *Service) inTx(ctx context.Context, fn func(tx pgx.Tx, q *dbsqlc.Queries) error) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		return fn(tx, s.queries.WithTx(tx))
	})
}

// inTxRetrying is inTx for work that touches many rows another writer may hold: when
// Postgres breaks a deadlock by failing this transaction, it runs fn again, a few times,
// from the start. fn must not keep state from a failed attempt.
func (s *Service) inTxRetrying(ctx context.Context, fn func(tx pgx.Tx, q *dbsqlc.Queries) error) error {
	for attempt := 1; ; attempt++ {
		err := s.inTx(ctx, fn)
		var pgErr *pgconn.PgError
		if attempt < 4 && errors.As(err, &pgErr) && (pgErr.Code == "40P01" || pgErr.Code == "40001") {
			s.logger.WarnContext(ctx, "transaction retried", "attempt", attempt, "code", pgErr.Code)
			continue
		}
		return err
	}
}

// minLevel passes on the records of its handler at or above min only.
type minLevel struct {
	slog.Handler
	min slog.Level
}

func (h minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h minLevel) WithAttrs(attrs []slog.Attr) slog.Handler {
	return minLevel{h.Handler.WithAttrs(attrs), h.min}
}

func (h minLevel) WithGroup(name string) slog.Handler {
	return minLevel{h.Handler.WithGroup(name), h.min}
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/reclaimhq/reclaim/api"
	"github.com/reclaimhq/reclaim/db"
	"github.com/reclaimhq/reclaim/workflow"
	"github.com/reclaimhq/reclaim/workflow/demo"
	"github.com/reclaimhq/reclaim/workflow/rules"
)

// common are the flags every database command takes.
type common struct {
	databaseURL string
	timezone    string
}

func (m *Main) flags(name string, c *common) *flag.FlagSet {
	fs := flag.NewFlagSet("reclaim "+name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.StringVar(&c.databaseURL, "database-url", m.Getenv("DATABASE_URL"), "Postgres URL (env DATABASE_URL)")
	fs.StringVar(&c.timezone, "timezone", envOr(m.Getenv, "RECLAIM_TIMEZONE", "UTC"),
		"where 'today' is for due dates, an IANA zone such as America/Chicago (env RECLAIM_TIMEZONE)")
	return fs
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// open connects to the database and makes the workflow service.
func (m *Main) open(ctx context.Context, c common, logger *slog.Logger, workers int) (*pgxpool.Pool, *workflow.Service, error) {
	if c.databaseURL == "" {
		return nil, nil, usageError("no database: set DATABASE_URL or pass --database-url (`make run` finds or starts one)")
	}
	loc, err := time.LoadLocation(c.timezone)
	if err != nil {
		return nil, nil, usageError(fmt.Sprintf("unknown timezone %q", c.timezone))
	}
	pool, err := db.Open(ctx, c.databaseURL)
	if err != nil {
		return nil, nil, err
	}
	svc, err := workflow.New(workflow.Config{Pool: pool, Logger: logger, Location: loc, Workers: workers})
	if err != nil {
		pool.Close()
		return nil, nil, err
	}
	return pool, svc, nil
}

// serve runs the API and the workers (withHTTP) or the workers alone, until ctx ends; then
// it stops taking requests, finishes the jobs in hand and exits.
func (m *Main) serve(ctx context.Context, args []string, withHTTP bool) error {
	name := "worker"
	if withHTTP {
		name = "serve"
	}
	var c common
	fs := m.flags(name, &c)
	addr := fs.String("addr", envOr(m.Getenv, "RECLAIM_ADDR", "127.0.0.1:8080"), "address to listen on (env RECLAIM_ADDR)")
	workers := fs.Int("workers", envInt(m.Getenv, "RECLAIM_WORKERS", 20), "triage jobs worked at once (env RECLAIM_WORKERS)")
	noMigrate := fs.Bool("no-migrate", false, "do not apply migrations at start")
	loadDemo := fs.Bool("demo", false, "load the demo data set when the database holds no denials")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *workers < 1 {
		return usageError("--workers must be at least 1")
	}
	logger := m.logger()
	pool, svc, err := m.open(ctx, c, logger, *workers)
	if err != nil {
		return err
	}
	defer pool.Close()

	if !*noMigrate {
		if err := db.Migrate(ctx, pool, logger); err != nil {
			return err
		}
	}
	if *loadDemo {
		if err := loadDemoIfEmpty(ctx, svc, logger); err != nil {
			return err
		}
	}
	if err := svc.Start(ctx); err != nil {
		return err
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := svc.Stop(stopCtx); err != nil {
			logger.Warn("workers did not stop cleanly", "error", err)
		}
	}()

	if !withHTTP {
		logger.Info("working", "workers", *workers)
		<-ctx.Done()
		logger.Info("shutting down")
		return nil
	}

	srv := &http.Server{
		Handler:           api.New(api.Config{Service: svc, Pool: pool, Logger: logger}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("error listening on %s: %w", *addr, err)
	}
	logger.Info("serving", "addr", "http://"+ln.Addr().String(), "docs", "http://"+ln.Addr().String()+"/docs", "workers", *workers)
	if m.Ready != nil {
		m.Ready(ln.Addr().String())
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("error serving HTTP: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("error shutting down HTTP: %w", err)
	}
	return nil
}

func envInt(getenv func(string) string, key string, def int) int {
	if v, err := strconv.Atoi(getenv(key)); err == nil {
		return v
	}
	return def
}

func loadDemoIfEmpty(ctx context.Context, svc *workflow.Service, logger *slog.Logger) error {
	has, err := svc.HasDenials(ctx)
	if err != nil || has {
		return err
	}
	sum, err := demo.Load(ctx, svc, demo.Options{})
	if err != nil {
		return err
	}
	logger.Info("loaded demo data", "lines", sum.Lines, "team", strings.Join(sum.Specialists, ", "))
	return nil
}

func (m *Main) migrate(ctx context.Context, args []string) error {
	var c common
	fs := m.flags("migrate", &c)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.databaseURL == "" {
		return usageError("no database: set DATABASE_URL or pass --database-url")
	}
	logger := m.logger()
	pool, err := db.Open(ctx, c.databaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := db.Migrate(ctx, pool, logger); err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, "database is up to date")
	return nil
}

func (m *Main) demo(ctx context.Context, args []string) error {
	var c common
	fs := m.flags("demo", &c)
	ifEmpty := fs.Bool("if-empty", false, "load only when the database holds no denials")
	lines := fs.Int("lines", 300, "how many denied lines to post")
	seed := fs.Uint64("seed", 97026, "random seed; the same seed makes the same data")
	if err := fs.Parse(args); err != nil {
		return err
	}
	logger := m.logger()
	pool, svc, err := m.open(ctx, c, logger, 0)
	if err != nil {
		return err
	}
	defer pool.Close()
	if *ifEmpty {
		if has, err := svc.HasDenials(ctx); err != nil || has {
			return err
		}
	}
	sum, err := demo.Load(ctx, svc, demo.Options{Lines: *lines, Seed: *seed})
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "posted %d demo lines; team: %s\n", sum.Lines, strings.Join(sum.Specialists, ", "))
	return nil
}

// ncci loads CMS's quarterly NCCI procedure-to-procedure edits and MUE limits.
func (m *Main) ncci(ctx context.Context, args []string) error {
	var c common
	fs := m.flags("ncci", &c)
	var ptp, mue multiFlag
	fs.Var(&ptp, "ptp", "a procedure-to-procedure edit file (practitioner); repeat for each part")
	fs.Var(&mue, "mue", "a medically unlikely edit file (practitioner)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if len(ptp)+len(mue) == 0 {
		return usageError("ncci needs --ptp FILE or --mue FILE")
	}
	pool, svc, err := m.open(ctx, c, m.logger(), 0)
	if err != nil {
		return err
	}
	defer pool.Close()
	actor := workflow.System("cli")
	load := func(path string, fn func(context.Context, workflow.Actor, string, io.Reader) (int, error), what string) error {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		n, err := fn(ctx, actor, filepath.Base(path), f)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "%s: %d %s loaded\n", path, n, what)
		return nil
	}
	for _, p := range ptp {
		if err := load(p, svc.LoadPTP, "edits"); err != nil {
			return err
		}
	}
	for _, p := range mue {
		if err := load(p, svc.LoadMUE, "limits"); err != nil {
			return err
		}
	}
	return nil
}

// multiFlag collects a flag given several times.
type multiFlag []string

func (f *multiFlag) String() string     { return strings.Join(*f, ",") }
func (f *multiFlag) Set(v string) error { *f = append(*f, v); return nil }

// importFiles imports X12 835 remittance files, each whole or not at all, reporting on
// each as it goes. A file that fails does not stop the others; the command then fails.
func (m *Main) importFiles(ctx context.Context, args []string) error {
	var c common
	fs := m.flags("import", &c)
	fs.Usage = func() {
		fmt.Fprintln(m.Stderr, "Usage: reclaim import [flags] FILE...\n\nImports X12 835 remittance files.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError("import needs at least one 835 file")
	}
	pool, svc, err := m.open(ctx, c, m.logger(), 0)
	if err != nil {
		return err
	}
	defer pool.Close()

	var failed []string
	for _, path := range fs.Args() {
		if err := m.importFile(ctx, svc, path); err != nil {
			fmt.Fprintf(m.Stderr, "%s: %v\n", path, err)
			failed = append(failed, path)
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d files not imported: %s", len(failed), fs.NArg(), strings.Join(failed, ", "))
	}
	return nil
}

func (m *Main) importFile(ctx context.Context, svc *workflow.Service, path string) error {
	content, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	started := time.Now()
	last := time.Time{}
	report := func(p workflow.ImportProgress) {
		// Large files say how far they are, at most a few times a second.
		if p.Total < 10_000 || (time.Since(last) < 250*time.Millisecond && p.Done < p.Total) {
			return
		}
		last = time.Now()
		fmt.Fprintf(m.Stderr, "%s: %s %d/%d lines (%s)\n", path, p.Stage, p.Done, p.Total, time.Since(started).Round(time.Millisecond))
	}
	res, err := svc.ImportRemittance(ctx, workflow.System("import"), content, workflow.ImportOptions{
		Filename: filepath.Base(path), Progress: report,
	})
	if err != nil {
		return err
	}
	r, t := res.Remittance, res.Remittance.Totals
	if res.Outcome == workflow.OutcomeDuplicate {
		fmt.Fprintf(m.Stdout, "%s: already imported as remittance %d; nothing changed\n", path, r.ID)
		return nil
	}
	fmt.Fprintf(m.Stdout, "%s: remittance %d: %d claims, %d lines: %d denied, %d duplicates, %d recovered (%s), %d reversed (%s), %d unmatched; %d warnings (%s)\n",
		path, r.ID, t.Claims, t.Lines, t.Denied, t.Duplicates, t.Recovered, rules.FormatCents(t.RecoveredCents),
		t.Reversed, rules.FormatCents(t.ReversedCents), t.Unmatched, len(r.Warnings), time.Since(started).Round(time.Millisecond))
	return nil
}

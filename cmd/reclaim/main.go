// Command reclaim runs Reclaim: the API and its workers (serve), workers alone (worker),
// migrations (migrate), API keys (keys), and the demo data set (demo).
//
// Configuration comes from flags, with environment variables as defaults:
// DATABASE_URL, RECLAIM_ADDR, RECLAIM_WORKERS, RECLAIM_TIMEZONE, RECLAIM_LOG_LEVEL.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	m := &Main{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	if err := m.Run(ctx, os.Args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "reclaim:", err)
		}
		os.Exit(exitCode(err))
	}
}

// Main is the program, with its outside world made explicit so tests run the same wiring.
type Main struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string

	// Ready, when set, is called with the listening address once serve accepts requests.
	Ready func(addr string)
}

const usage = `Reclaim: denial management for outpatient therapy claims.

Usage: reclaim <command> [flags]

Commands:
  serve     run the API, web pages and workers (migrates first unless --no-migrate)
  worker    run workers only
  migrate   apply River's and Reclaim's database migrations
  keys      create, revoke and list API keys
  demo      load the demo data set through the ingest path
  import    import X12 835 remittance files: denials become work, payments recoveries
  ncci      load CMS's quarterly NCCI edit and MUE files

Run 'reclaim <command> -h' for a command's flags.
`

// Run runs one command.
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, usage)
		return usageError("no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return m.serve(ctx, rest, true)
	case "worker":
		return m.serve(ctx, rest, false)
	case "migrate":
		return m.migrate(ctx, rest)
	case "keys":
		return m.keys(ctx, rest)
	case "demo":
		return m.demo(ctx, rest)
	case "ncci":
		return m.ncci(ctx, rest)
	case "import":
		return m.importFiles(ctx, rest)
	case "help", "-h", "--help":
		fmt.Fprint(m.Stdout, usage)
		return nil
	default:
		fmt.Fprint(m.Stderr, usage)
		return usageError(fmt.Sprintf("unknown command %q", cmd))
	}
}

type usageError string

func (e usageError) Error() string { return string(e) }

func exitCode(err error) int {
	var u usageError
	if errors.As(err, &u) || errors.Is(err, flag.ErrHelp) {
		return 2
	}
	return 1
}

// logger makes the process's logger from RECLAIM_LOG_LEVEL (debug, info, warn, error).
func (m *Main) logger() *slog.Logger {
	level := slog.LevelInfo
	if v := m.Getenv("RECLAIM_LOG_LEVEL"); v != "" {
		_ = level.UnmarshalText([]byte(v))
	}
	return slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: level}))
}

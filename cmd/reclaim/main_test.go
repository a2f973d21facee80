package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/reclaimhq/reclaim/db/dbtest"
	"github.com/reclaimhq/reclaim/x12/x12test"
)

// run runs one command as the binary would, with env as its environment.
func run(t *testing.T, ctx context.Context, env map[string]string, args ...string) (string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	m := &Main{Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return env[k] }}
	err := m.Run(ctx, args)
	if err != nil {
		t.Logf("reclaim %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String(), err
}

// TestEndToEnd runs the tour of the README through the same wiring as the binary: migrate,
// create a key, serve, post a batch, read a triaged denial back, shut down on signal.
func TestEndToEnd(t *testing.T) {
	t.Parallel()
	url := dbtest.NewEmpty(t)
	env := map[string]string{"DATABASE_URL": url, "RECLAIM_LOG_LEVEL": "warn"}
	ctx := context.Background()

	out, err := run(t, ctx, env, "migrate")
	require.NoError(t, err)
	require.Contains(t, out, "up to date")

	key, err := run(t, ctx, env, "keys", "create", "--name", "billing-bot", "--role", "billing")
	require.NoError(t, err)
	key = strings.TrimSpace(key)
	require.Regexp(t, `^rcl_[a-z2-7]{8}_[a-z2-7]{52}$`, key, "the key alone on standard output")
	_, err = run(t, ctx, env, "keys", "create", "--name", "alice", "--role", "specialist", "--queues", "clinical,coding")
	require.NoError(t, err)

	serveCtx, stop := context.WithCancel(ctx)
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		var stderr bytes.Buffer
		m := &Main{Stdout: io.Discard, Stderr: &stderr, Getenv: func(k string) string { return env[k] }, Ready: func(addr string) { ready <- addr }}
		done <- m.Run(serveCtx, []string{"serve", "--addr", "127.0.0.1:0", "--workers", "4"})
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("serve stopped: %v", err)
	case <-time.After(time.Minute):
		t.Fatal("serve did not start")
	}

	body := `{"denials":[{"source_id":"tour-1","claim":{"id":"CLM-1"},"payer":{"id":"noridian","name":"Noridian JE","kind":"medicare"},
		"service_date":"2026-09-15","procedure_code":"97026","modifiers":["GP"],"units":1,"billed_cents":3000,
		"adjustments":[{"group":"CO","reason":"50","amount_cents":3000}],"remit_date":"2026-10-01"}]}`
	req, _ := http.NewRequest("POST", "http://"+addr+"/v1/denials", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var posted struct {
		Results []struct {
			ID int64 `json:"id"`
		} `json:"results"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&posted))
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)

	// The serve process triages on its own; read back until the worker has done it.
	var denial struct {
		Status   string `json:"status"`
		Category string `json:"category"`
		Tasks    []struct {
			Assignee string `json:"assignee"`
		} `json:"tasks"`
	}
	deadline := time.Now().Add(30 * time.Second)
	for denial.Status != "open" && time.Now().Before(deadline) {
		req, _ := http.NewRequest("GET", fmt.Sprintf("http://%s/v1/denials/%d", addr, posted.Results[0].ID), nil)
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&denial))
		resp.Body.Close()
		if denial.Status != "open" {
			time.Sleep(50 * time.Millisecond) // a client polling a live server, as a user would
		}
	}
	require.Equal(t, "open", denial.Status)
	require.Equal(t, "medical_necessity", denial.Category)
	require.Equal(t, "alice", denial.Tasks[0].Assignee)

	stop() // what SIGTERM does
	select {
	case err := <-done:
		require.NoError(t, err, "graceful shutdown")
	case <-time.After(time.Minute):
		t.Fatal("serve did not shut down")
	}

	out, err = run(t, ctx, env, "keys", "list")
	require.NoError(t, err)
	require.Contains(t, out, "billing-bot")
	prefix := key[:len("rcl_")+8]
	_, err = run(t, ctx, env, "keys", "revoke", prefix)
	require.NoError(t, err)
	out, err = run(t, ctx, env, "keys", "list")
	require.NoError(t, err)
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, prefix) {
			require.NotContains(t, line, "  -\n", "revoked")
			require.Regexp(t, `\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s*$`, line, "the revocation time shows")
		}
	}
}

// Several processes starting at once migrate the database once.
func TestConcurrentMigrate(t *testing.T) {
	t.Parallel()
	url := dbtest.NewEmpty(t)
	env := map[string]string{"DATABASE_URL": url, "RECLAIM_LOG_LEVEL": "error"}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() { _, errs[i] = run(t, context.Background(), env, "migrate") })
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	_, err := run(t, context.Background(), env, "keys", "create", "--name", "x", "--role", "admin")
	require.NoError(t, err)
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	env := map[string]string{}
	for _, args := range [][]string{
		{}, {"bogus"}, {"keys"}, {"keys", "create"}, {"keys", "create", "--name", "x", "--role", "boss"}, {"serve", "--workers", "0"},
	} {
		_, err := run(t, context.Background(), env, args...)
		require.Error(t, err, "%v", args)
		if len(args) > 0 && args[0] != "bogus" && len(args) < 5 {
			require.Equal(t, 2, exitCode(err), "%v: %v", args, err)
		}
	}
	_, err := run(t, context.Background(), env, "migrate")
	require.ErrorContains(t, err, "DATABASE_URL")
}

// reclaim import takes 835 files: each whole or not at all, the same file twice is
// harmless, a broken one fails the command without stopping the others, and a large one
// reports its progress.
func TestImportCommand(t *testing.T) {
	t.Parallel()
	_, url := dbtest.NewWithURL(t)
	env := map[string]string{"DATABASE_URL": url, "RECLAIM_LOG_LEVEL": "warn"}
	ctx := context.Background()
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.835")
	require.NoError(t, os.WriteFile(broken, []byte("ISA*not a remittance~"), 0o600))
	large := filepath.Join(dir, "large.835")
	require.NoError(t, os.WriteFile(large, x12test.Generate(x12test.Options{Lines: 12_000, Seed: 3}), 0o600))
	denials := filepath.Join("..", "..", "x12", "testdata", "e2e-denials.835")
	payments := filepath.Join("..", "..", "x12", "testdata", "e2e-payments.835")

	var stdout, stderr bytes.Buffer
	m := &Main{Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return env[k] }}
	err := m.Run(ctx, []string{"import", denials, broken, payments, large})
	require.ErrorContains(t, err, "1 of 4 files not imported")
	require.Contains(t, stdout.String(), "e2e-denials.835: remittance 1: 4 claims, 5 lines: 4 denied, 0 duplicates, 0 recovered ($0.00), 0 reversed ($0.00), 1 unmatched; 0 warnings")
	require.Contains(t, stdout.String(), "e2e-payments.835: remittance 2: 3 claims, 3 lines: 0 denied, 0 duplicates, 2 recovered ($45.43)")
	require.Contains(t, stdout.String(), "large.835: remittance 3: ")
	require.Contains(t, stderr.String(), "broken.835: ")
	require.Contains(t, stderr.String(), "nothing was stored")
	require.Contains(t, stderr.String(), "large.835: stored 12000/12000 lines")

	out, err := run(t, ctx, env, "import", payments)
	require.NoError(t, err)
	require.Equal(t, payments+": already imported as remittance 2; nothing changed\n", out)

	_, err = run(t, ctx, env, "import")
	require.Equal(t, 2, exitCode(err))
}

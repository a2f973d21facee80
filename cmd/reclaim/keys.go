package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/reclaimhq/reclaim/workflow"
)

const keysUsage = `Usage:
  reclaim keys create --name NAME --role ROLE [--queues clinical,coding]
  reclaim keys revoke PREFIX
  reclaim keys list
`

// keys manages API keys from the command line, as an administrator would.
func (m *Main) keys(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, keysUsage)
		return usageError("keys needs a subcommand")
	}
	var c common
	fs := m.flags("keys "+args[0], &c)
	actor := workflow.System("cli")
	switch args[0] {
	case "create":
		name := fs.String("name", "", "user name; the user is created when new")
		role := fs.String("role", "", "billing, specialist, manager or admin")
		queues := fs.String("queues", "", "comma-separated queues the user works (replaces the user's membership)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *name == "" || *role == "" {
			fmt.Fprint(m.Stderr, keysUsage)
			return usageError("keys create needs --name and --role")
		}
		spec := workflow.UserSpec{Name: *name, Role: workflow.Role(*role)}
		fs.Visit(func(f *flag.Flag) {
			if f.Name == "queues" {
				spec.Queues = splitList(*queues)
			}
		})
		pool, svc, err := m.open(ctx, c, m.logger(), 0)
		if err != nil {
			return err
		}
		defer pool.Close()
		key, err := svc.CreateKey(ctx, actor, spec)
		if err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, key)
		return nil

	case "revoke":
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if fs.NArg() != 1 {
			fmt.Fprint(m.Stderr, keysUsage)
			return usageError("keys revoke needs the key's prefix")
		}
		pool, svc, err := m.open(ctx, c, m.logger(), 0)
		if err != nil {
			return err
		}
		defer pool.Close()
		if err := svc.RevokeKey(ctx, actor, fs.Arg(0)); err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, "revoked")
		return nil

	case "list":
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		pool, svc, err := m.open(ctx, c, m.logger(), 0)
		if err != nil {
			return err
		}
		defer pool.Close()
		keys, err := svc.Keys(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "PREFIX\tUSER\tROLE\tCREATED\tLAST USED\tREVOKED")
		for _, k := range keys {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", k.Prefix, k.User, k.Role,
				k.CreatedAt.Format(time.DateTime), when(k.LastUsedAt), when(k.RevokedAt))
		}
		return tw.Flush()

	default:
		fmt.Fprint(m.Stderr, keysUsage)
		return usageError(fmt.Sprintf("unknown keys subcommand %q", args[0]))
	}
}

func when(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Format(time.DateTime)
}

func splitList(s string) []string {
	out := []string{}
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/reclaimhq/reclaim/workflow"
	"github.com/reclaimhq/reclaim/workflow/errs"
	"github.com/reclaimhq/reclaim/workflow/rules"
)

type listPayersOutput struct {
	Body struct {
		Payers []workflow.Payer `json:"payers"`
	}
}

type setPolicyInput struct {
	ID   string `path:"id" doc:"The payer id the billing system uses."`
	Body rules.PolicyOverride
}

type setPolicyOutput struct {
	Body *workflow.Payer
}

type listRulesOutput struct {
	Body struct {
		Rules []rules.RuleInfo `json:"rules"`
	}
}

type listDeadlinesInput struct {
	DueBefore string `query:"due_before" doc:"Due strictly before this date, YYYY-MM-DD."`
	Status    string `query:"status" doc:"Comma-separated: open, met, missed, closed."`
	Kind      string `query:"kind" doc:"Comma-separated deadline kinds, e.g. appeal_1,reopening."`
	Payer     string `query:"payer" doc:"Comma-separated payer ids."`
	Cursor    string `query:"cursor" doc:"next_cursor of the previous page."`
	Limit     int    `query:"limit" minimum:"1" maximum:"500" default:"100"`
}

type listDeadlinesOutput struct {
	Body *workflow.DeadlinePage
}

type retriageInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body workflow.Facts
}

func (s *Server) registerPolicy() {
	op := operation("list-payers", http.MethodGet, "/v1/payers", "List payers and their policy", workflow.RoleManager)
	op.Tags = []string{"policy"}
	op.Description = "Every payer with its effective deadline policy (the kind's default with the payer's " +
		"overrides applied), the overrides themselves, and its open denials.\n\n" + op.Description
	huma.Register(s.api, op, func(ctx context.Context, _ *struct{}) (*listPayersOutput, error) {
		payers, err := s.svc.Payers(ctx)
		if err != nil {
			return nil, problem(ctx, s.logger, err)
		}
		out := &listPayersOutput{}
		out.Body.Payers = payers
		return out, nil
	})

	op = operation("set-payer-policy", http.MethodPut, "/v1/payers/{id}/policy", "Set a payer's policy", workflow.RoleManager)
	op.Tags = []string{"policy"}
	op.Description = "Replaces what the payer overrides of its kind's default: per deadline kind a window " +
		"(`days` or `months`) and its `anchor` (remit_date, receipt, service_date, decision, decision_receipt), " +
		"whether it takes corrected claims, the receipt grace days and the task buffers. The running deadlines " +
		"of the payer's denials move to the new policy, with their tasks' due dates; met, missed and closed " +
		"deadlines stay as they were. The change is recorded as an event.\n\n" + op.Description
	op.Errors = append(op.Errors, http.StatusNotFound, http.StatusUnprocessableEntity)
	huma.Register(s.api, op, func(ctx context.Context, in *setPolicyInput) (*setPolicyOutput, error) {
		p, err := s.svc.SetPayerPolicy(ctx, actorFrom(ctx), in.ID, in.Body)
		if err != nil {
			return nil, problem(ctx, s.logger, err)
		}
		return &setPolicyOutput{Body: p}, nil
	})

	op = operation("list-rules", http.MethodGet, "/v1/rules", "List the triage rules", workflow.RoleManager)
	op.Tags = []string{"policy"}
	op.Description = "Every rule triage applies, with its id, what it matches, its outcome and its rationale " +
		"template, in precedence order. Per-payer overrides are on GET /v1/payers.\n\n" + op.Description
	huma.Register(s.api, op, func(ctx context.Context, _ *struct{}) (*listRulesOutput, error) {
		out := &listRulesOutput{}
		out.Body.Rules = rules.Catalog()
		return out, nil
	})

	op = operation("list-deadlines", http.MethodGet, "/v1/deadlines", "List deadlines", workflow.RoleManager)
	op.Tags = []string{"policy"}
	op.Description = "Deadlines soonest first, with their denial, payer and who holds the work: e.g. " +
		"`?status=open&due_before=2027-01-01` for what is at risk, `?status=missed` for what was lost.\n\n" + op.Description
	op.Errors = append(op.Errors, http.StatusUnprocessableEntity)
	huma.Register(s.api, op, func(ctx context.Context, in *listDeadlinesInput) (*listDeadlinesOutput, error) {
		f := workflow.DeadlineFilter{Cursor: in.Cursor, Limit: in.Limit}
		var bad []errs.Detail
		f.DueBefore = date(in.DueBefore, "due_before", &bad)
		f.Statuses = list(in.Status, "status", []string{workflow.DeadlineOpen, workflow.DeadlineMet, workflow.DeadlineMissed, workflow.DeadlineClosed}, &bad)
		f.Kinds = list(in.Kind, "kind", deadlineKindNames(), &bad)
		f.Payers = list(in.Payer, "payer", nil, &bad)
		if len(bad) > 0 {
			return nil, problem(ctx, s.logger, invalidQuery(bad))
		}
		page, err := s.svc.ListDeadlines(ctx, f)
		if err != nil {
			return nil, problem(ctx, s.logger, err)
		}
		return &listDeadlinesOutput{Body: page}, nil
	})

	op = operation("retriage-denial", http.MethodPost, "/v1/denials/{id}/retriage", "Re-triage a denial", workflow.RoleManager)
	op.Tags = []string{"denials"}
	op.Description = "Applies corrected facts (diagnosis codes, modifiers, units, provider taxonomy, proof of " +
		"timely filing) and runs the rules again. The history stays: the previous decision is in the " +
		"timeline, clocks no longer wanted are closed, the live task is cancelled for a new one. A resolved " +
		"denial is not re-decided (409).\n\n" + op.Description
	op.Errors = append(op.Errors, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity)
	huma.Register(s.api, op, func(ctx context.Context, in *retriageInput) (*getDenialOutput, error) {
		d, err := s.svc.Retriage(ctx, actorFrom(ctx), in.ID, in.Body)
		if err != nil {
			return nil, problem(ctx, s.logger, err)
		}
		return &getDenialOutput{Body: d}, nil
	})
}

func deadlineKindNames() []string {
	out := make([]string, len(rules.DeadlineKinds))
	for i, k := range rules.DeadlineKinds {
		out[i] = string(k)
	}
	return out
}

package api

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/reclaimhq/reclaim/workflow"
	"github.com/reclaimhq/reclaim/workflow/errs"
	"github.com/reclaimhq/reclaim/workflow/rules"
)

type postDenialsInput struct {
	Body struct {
		Denials []workflow.DenialInput `json:"denials" minItems:"1" maxItems:"1000" doc:"1 to 1,000 denied service lines."`
	}
}

type postDenialsOutput struct {
	Body struct {
		Results []workflow.IngestResult `json:"results" doc:"One per posted line, in order."`
	}
}

type getDenialInput struct {
	ID int64 `path:"id" minimum:"1"`
}

type getDenialOutput struct {
	Body *workflow.Denial
}

type listDenialsInput struct {
	Status      string `query:"status" doc:"Comma-separated statuses, e.g. open,in_progress."`
	Category    string `query:"category" doc:"Comma-separated categories."`
	Payer       string `query:"payer" doc:"Comma-separated payer ids."`
	Assignee    string `query:"assignee" doc:"User name of the specialist holding the live task."`
	RemitFrom   string `query:"remit_from" doc:"Remittance date on or after, YYYY-MM-DD."`
	RemitTo     string `query:"remit_to" doc:"Remittance date on or before, YYYY-MM-DD."`
	ServiceFrom string `query:"service_from" doc:"Service date on or after, YYYY-MM-DD."`
	ServiceTo   string `query:"service_to" doc:"Service date on or before, YYYY-MM-DD."`
	Cursor      string `query:"cursor" doc:"next_cursor of the previous page."`
	Limit       int    `query:"limit" minimum:"1" maximum:"500" default:"50"`
}

type listDenialsOutput struct {
	Body *workflow.DenialPage
}

var (
	denialStatuses = []string{
		workflow.StatusNew, workflow.StatusOpen, workflow.StatusInProgress, workflow.StatusResubmitted,
		workflow.StatusAppealed, workflow.StatusRecovered, workflow.StatusPartiallyRecovered,
		workflow.StatusWrittenOff, workflow.StatusBilledPatient, workflow.StatusClosed,
	}
)

func (s *Server) registerDenials() {
	op := operation("post-denials", http.MethodPost, "/v1/denials", "Post denied lines", workflow.RoleBilling)
	op.Tags = []string{"denials"}
	op.Description = "Stores 1 to 1,000 denied service lines and queues each for triage, all or nothing. " +
		"Idempotent on `source_id`: a line seen before changes nothing and comes back as `duplicate` " +
		"with its existing id. A batch with any invalid line is refused whole (422), naming each bad " +
		"line and field.\n\n" + op.Description
	op.MaxBodyBytes = 16 << 20
	op.Errors = append(op.Errors, http.StatusUnprocessableEntity)
	huma.Register(s.api, op, func(ctx context.Context, in *postDenialsInput) (*postDenialsOutput, error) {
		results, err := s.svc.Ingest(ctx, actorFrom(ctx), in.Body.Denials)
		if err != nil {
			return nil, problem(ctx, s.logger, err)
		}
		out := &postDenialsOutput{}
		out.Body.Results = results
		return out, nil
	})

	op = operation("get-denial", http.MethodGet, "/v1/denials/{id}", "Read a denial",
		workflow.RoleBilling, workflow.RoleSpecialist)
	op.Tags = []string{"denials"}
	op.Description = "The denial with its decision (category, action, the rule that decided and why, " +
		"every rule that matched), money, deadlines, tasks and timeline.\n\n" + op.Description
	op.Errors = append(op.Errors, http.StatusNotFound)
	huma.Register(s.api, op, func(ctx context.Context, in *getDenialInput) (*getDenialOutput, error) {
		d, err := s.svc.Denial(ctx, in.ID)
		if err != nil {
			return nil, problem(ctx, s.logger, err)
		}
		return &getDenialOutput{Body: d}, nil
	})

	op = operation("list-denials", http.MethodGet, "/v1/denials", "List denials",
		workflow.RoleBilling, workflow.RoleSpecialist)
	op.Tags = []string{"denials"}
	op.Description = "Newest first, a page at a time: pass `next_cursor` back as `cursor` for the next " +
		"page.\n\n" + op.Description
	op.Errors = append(op.Errors, http.StatusUnprocessableEntity)
	huma.Register(s.api, op, func(ctx context.Context, in *listDenialsInput) (*listDenialsOutput, error) {
		f, err := in.filter()
		if err != nil {
			return nil, problem(ctx, s.logger, err)
		}
		page, err := s.svc.ListDenials(ctx, f)
		if err != nil {
			return nil, problem(ctx, s.logger, err)
		}
		return &listDenialsOutput{Body: page}, nil
	})
}

// filter checks the query and turns it into a workflow filter, naming every bad parameter.
func (in *listDenialsInput) filter() (workflow.DenialFilter, error) {
	f := workflow.DenialFilter{Assignee: in.Assignee, Cursor: in.Cursor, Limit: in.Limit}
	var bad []errs.Detail
	f.Statuses = list(in.Status, "status", denialStatuses, &bad)
	f.Categories = list(in.Category, "category", categoryNames(), &bad)
	f.Payers = list(in.Payer, "payer", nil, &bad)
	f.RemitFrom = date(in.RemitFrom, "remit_from", &bad)
	f.RemitTo = date(in.RemitTo, "remit_to", &bad)
	f.ServiceFrom = date(in.ServiceFrom, "service_from", &bad)
	f.ServiceTo = date(in.ServiceTo, "service_to", &bad)
	if len(bad) > 0 {
		return f, invalidQuery(bad)
	}
	return f, nil
}

func invalidQuery(bad []errs.Detail) error { return errs.Invalidf(bad, "invalid query") }

// list splits a comma-separated parameter, checking each value against allowed when given.
func list(v, name string, allowed []string, bad *[]errs.Detail) []string {
	if v == "" {
		return nil
	}
	var out []string
	for _, item := range strings.Split(v, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if allowed != nil && !slices.Contains(allowed, item) {
			*bad = append(*bad, errs.Detail{Location: "query." + name, Message: "must be one of " + strings.Join(allowed, ", "), Value: item})
			continue
		}
		out = append(out, item)
	}
	return out
}

func date(v, name string, bad *[]errs.Detail) time.Time {
	if v == "" {
		return time.Time{}
	}
	d, err := rules.ParseDate(v)
	if err != nil {
		*bad = append(*bad, errs.Detail{Location: "query." + name, Message: err.Error(), Value: v})
	}
	return d
}

func categoryNames() []string {
	out := make([]string, len(rules.Categories))
	for i, c := range rules.Categories {
		out[i] = string(c)
	}
	return out
}

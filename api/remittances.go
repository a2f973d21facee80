package api

import (
	"context"
	"fmt"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/reclaimhq/reclaim/workflow"
)

type postRemittanceInput struct {
	Filename string `query:"filename" maxLength:"200" doc:"A name to know the file by, e.g. the name it arrived under."`
	RawBody  []byte `contentType:"application/edi-x12" doc:"The X12 835 file as received, up to 64 MiB."`
}

type postRemittanceOutput struct {
	Status int
	Body   *workflow.ImportResult
}

type getRemittanceInput struct {
	ID           int64  `path:"id" minimum:"1"`
	ClaimsCursor string `query:"claims_cursor" doc:"next_claims_cursor of the previous page."`
	ClaimsLimit  int    `query:"claims_limit" minimum:"1" maximum:"1000" default:"100"`
	Outcome      string `query:"outcome" enum:"denied,duplicate,recovered,reversed,unmatched" doc:"Only claims with a line that became this."`
}

type getRemittanceOutput struct {
	Body *workflow.Remittance
}

type listRemittancesInput struct {
	Cursor string `query:"cursor" doc:"next_cursor of the previous page."`
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"50"`
}

type listRemittancesOutput struct {
	Body *workflow.RemittanceList
}

type remittanceFileInput struct {
	ID int64 `path:"id" minimum:"1"`
}

type remittanceFileOutput struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

type postRecoveryInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body workflow.RecoveryInput
}

func (s *Server) registerRemittances() {
	op := operation("post-remittance", http.MethodPost, "/v1/remittances", "Import an 835 remittance", workflow.RoleBilling)
	op.Tags = []string{"remittances"}
	op.Description = "Takes an X12 835 (005010X221A1) file as the body, as received from the payer or clearing " +
		"house, and stores it. Denied lines become denials, as if posted to POST /v1/denials; a payment for a claim " +
		"line with an open denial (same payer, patient control number or payer claim number, procedure and date of " +
		"service) is recorded as a recovery on it; a reversal (claim status 22) takes back the payment it reverses; " +
		"every other line is listed as unmatched. The answer is 201 with what the file became, or 200 with the " +
		"remittance imported before when the same content comes again (nothing changes). A file that is not a " +
		"readable 835 is refused with 422 naming the segment and element; nothing is stored.\n\n" + op.Description
	op.MaxBodyBytes = workflow.MaxRemittanceBytes
	op.DefaultStatus = http.StatusCreated
	op.Errors = append(op.Errors, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity)
	huma.Register(s.api, op, func(ctx context.Context, in *postRemittanceInput) (*postRemittanceOutput, error) {
		res, err := s.svc.ImportRemittance(ctx, actorFrom(ctx), in.RawBody, workflow.ImportOptions{Filename: in.Filename})
		if err != nil {
			return nil, problem(ctx, s.logger, err)
		}
		status := http.StatusCreated
		if res.Outcome == workflow.OutcomeDuplicate {
			status = http.StatusOK
		}
		return &postRemittanceOutput{Status: status, Body: res}, nil
	})

	op = operation("get-remittance", http.MethodGet, "/v1/remittances/{id}", "Read a remittance",
		workflow.RoleBilling, workflow.RoleSpecialist)
	op.Tags = []string{"remittances"}
	op.Description = "The file's transactions and totals, the lines that matched nothing (for a person to look " +
		"at), and a page of its claims with what each line became: `?outcome=unmatched` keeps the claims with " +
		"such a line.\n\n" + op.Description
	op.Errors = append(op.Errors, http.StatusNotFound, http.StatusUnprocessableEntity)
	huma.Register(s.api, op, func(ctx context.Context, in *getRemittanceInput) (*getRemittanceOutput, error) {
		r, err := s.svc.Remittance(ctx, in.ID, workflow.RemittancePage{Cursor: in.ClaimsCursor, Limit: in.ClaimsLimit, Outcome: in.Outcome})
		if err != nil {
			return nil, problem(ctx, s.logger, err)
		}
		return &getRemittanceOutput{Body: r}, nil
	})

	op = operation("list-remittances", http.MethodGet, "/v1/remittances", "List remittances",
		workflow.RoleBilling, workflow.RoleSpecialist)
	op.Tags = []string{"remittances"}
	op.Errors = append(op.Errors, http.StatusUnprocessableEntity)
	huma.Register(s.api, op, func(ctx context.Context, in *listRemittancesInput) (*listRemittancesOutput, error) {
		list, err := s.svc.ListRemittances(ctx, in.Cursor, in.Limit)
		if err != nil {
			return nil, problem(ctx, s.logger, err)
		}
		return &listRemittancesOutput{Body: list}, nil
	})

	op = operation("get-remittance-file", http.MethodGet, "/v1/remittances/{id}/file", "Download a remittance file",
		workflow.RoleBilling, workflow.RoleManager)
	op.Tags = []string{"remittances"}
	op.Description = "The 835 file exactly as it was imported.\n\n" + op.Description
	op.Errors = append(op.Errors, http.StatusNotFound)
	op.Responses = map[string]*huma.Response{"200": {
		Description: "The file",
		Content:     map[string]*huma.MediaType{"application/edi-x12": {Schema: &huma.Schema{Type: "string", Format: "binary"}}},
	}}
	huma.Register(s.api, op, func(ctx context.Context, in *remittanceFileInput) (*remittanceFileOutput, error) {
		content, err := s.svc.RemittanceFile(ctx, in.ID)
		if err != nil {
			return nil, problem(ctx, s.logger, err)
		}
		return &remittanceFileOutput{
			ContentType:        "application/edi-x12",
			ContentDisposition: fmt.Sprintf(`attachment; filename="remittance-%d.835"`, in.ID),
			Body:               content,
		}, nil
	})

	op = operation("post-recovery", http.MethodPost, "/v1/denials/{id}/recoveries", "Record a recovery",
		workflow.RoleSpecialist, workflow.RoleBilling)
	op.Tags = []string{"denials"}
	op.Description = "Records a payment on a denial by hand, exactly as a later remittance would: the denial " +
		"becomes recovered (paid at least what was denied) or partially recovered, its running clocks stop and its " +
		"live task is finished, and the timeline says so. A denial not yet triaged, or a line that was never a " +
		"denial, answers 409.\n\n" + op.Description
	op.Errors = append(op.Errors, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity)
	huma.Register(s.api, op, func(ctx context.Context, in *postRecoveryInput) (*getDenialOutput, error) {
		d, err := s.svc.RecordRecovery(ctx, actorFrom(ctx), in.ID, in.Body)
		if err != nil {
			return nil, problem(ctx, s.logger, err)
		}
		return &getDenialOutput{Body: d}, nil
	})
}

package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/reclaimhq/reclaim/db"
)

type healthOutput struct {
	Body struct {
		Status string `json:"status" example:"ok"`
	}
}

func (s *Server) registerHealth() {
	huma.Register(s.api, huma.Operation{
		OperationID: "healthz",
		Method:      http.MethodGet,
		Path:        "/healthz",
		Summary:     "The process is alive",
		Description: "Answers as long as the process serves HTTP. Needs no key.",
		Tags:        []string{"health"},
	}, func(ctx context.Context, _ *struct{}) (*healthOutput, error) {
		out := &healthOutput{}
		out.Body.Status = "ok"
		return out, nil
	})

	huma.Register(s.api, huma.Operation{
		OperationID: "readyz",
		Method:      http.MethodGet,
		Path:        "/readyz",
		Summary:     "The service can take work",
		Description: "Ready when the database answers and every migration (River's and Reclaim's) " +
			"is applied; 503 otherwise, saying why. Needs no key.",
		Tags:   []string{"health"},
		Errors: []int{http.StatusServiceUnavailable},
	}, func(ctx context.Context, _ *struct{}) (*healthOutput, error) {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if err := s.pool.Ping(ctx); err != nil {
			s.logger.WarnContext(ctx, "not ready: database unreachable", "error", err)
			return nil, huma.Error503ServiceUnavailable("database unreachable")
		}
		if err := db.CheckMigrations(ctx, s.pool, s.logger); err != nil {
			s.logger.WarnContext(ctx, "not ready", "error", err)
			if errors.Is(err, db.ErrMigrationsPending) {
				return nil, huma.Error503ServiceUnavailable(err.Error() + "; run `reclaim migrate`")
			}
			return nil, huma.Error503ServiceUnavailable("cannot check migrations")
		}
		out := &healthOutput{}
		out.Body.Status = "ready"
		return out, nil
	})
}

package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/reclaimhq/reclaim/workflow/errs"
)

// statusOf is the one table from a workflow error's kind to its HTTP status.
var statusOf = map[errs.Kind]int{
	errs.Internal:        http.StatusInternalServerError,
	errs.Invalid:         http.StatusUnprocessableEntity,
	errs.NotFound:        http.StatusNotFound,
	errs.Conflict:        http.StatusConflict,
	errs.Unauthenticated: http.StatusUnauthorized,
	errs.Forbidden:       http.StatusForbidden,
	errs.TooLarge:        http.StatusRequestEntityTooLarge,
}

// problem turns a workflow error into an RFC 9457 problem. An internal failure is logged
// in full and answered without detail: the caller did nothing wrong and learns nothing
// of Reclaim's insides.
func problem(ctx context.Context, logger *slog.Logger, err error) error {
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		// The client went away; nobody reads the answer.
		return huma.NewError(499, "request cancelled")
	}
	status := statusOf[errs.KindOf(err)]
	if status == http.StatusInternalServerError {
		logger.ErrorContext(ctx, "internal error", "error", err)
		return huma.Error500InternalServerError("internal error; it has been logged")
	}
	msg := err.Error()
	var e *errs.Error
	if errors.As(err, &e) {
		msg = e.Message
	}
	details := errs.DetailsOf(err)
	out := make([]error, len(details))
	for i, d := range details {
		out[i] = &huma.ErrorDetail{Message: d.Message, Location: d.Location, Value: d.Value}
	}
	return huma.NewError(status, msg, out...)
}

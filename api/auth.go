package api

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/reclaimhq/reclaim/workflow"
	"github.com/reclaimhq/reclaim/workflow/errs"
)

// securityScheme is the name of the bearer-key scheme in the OpenAPI document.
const securityScheme = "bearer"

type actorKey struct{}

// actorFrom is the authenticated caller of an operation.
func actorFrom(ctx context.Context) workflow.Actor {
	a, _ := ctx.Value(actorKey{}).(workflow.Actor)
	return a
}

// declaredRoles are the roles an operation's OpenAPI security requirement allows; nil for
// an operation that needs no key.
func declaredRoles(op *huma.Operation) []workflow.Role {
	var roles []workflow.Role
	for _, req := range op.Security {
		for _, r := range req[securityScheme] {
			roles = append(roles, workflow.Role(r))
		}
	}
	return roles
}

// authorize enforces what the OpenAPI document declares: an operation with a security
// requirement needs a valid key (401 otherwise) of one of the listed roles (403).
func (s *Server) authorize(ctx huma.Context, next func(huma.Context)) {
	op := ctx.Operation()
	if len(op.Security) == 0 {
		next(ctx)
		return
	}
	allowed := declaredRoles(op)

	key, ok := strings.CutPrefix(ctx.Header("Authorization"), "Bearer ")
	if !ok || strings.TrimSpace(key) == "" {
		ctx.SetHeader("WWW-Authenticate", `Bearer realm="reclaim"`)
		_ = huma.WriteErr(s.api, ctx, http.StatusUnauthorized, "an API key is required: send Authorization: Bearer <key>")
		return
	}
	actor, err := s.svc.Authenticate(ctx.Context(), strings.TrimSpace(key))
	if err != nil {
		if errs.KindOf(err) == errs.Unauthenticated {
			ctx.SetHeader("WWW-Authenticate", `Bearer realm="reclaim", error="invalid_token"`)
			_ = huma.WriteErr(s.api, ctx, http.StatusUnauthorized, err.Error())
			return
		}
		s.logger.ErrorContext(ctx.Context(), "error authenticating", "error", err)
		_ = huma.WriteErr(s.api, ctx, http.StatusServiceUnavailable, "cannot check API keys right now; try again")
		return
	}
	if !slices.Contains(allowed, actor.Role) {
		_ = huma.WriteErr(s.api, ctx, http.StatusForbidden,
			fmt.Sprintf("role %s may not call %s; allowed: %v", actor.Role, op.OperationID, allowed))
		return
	}
	next(huma.WithValue(ctx, actorKey{}, actor))
}

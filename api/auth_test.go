package api_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/reclaimhq/reclaim/workflow"
)

// TestEveryOperationEnforcesItsRoles walks the OpenAPI document: every /v1 operation
// declares its roles, answers 401 without a key or with a bad or revoked one, 403 to every
// other role, and lets each declared role through.
func TestEveryOperationEnforcesItsRoles(t *testing.T) {
	t.Parallel()
	b := setup(t)
	revoked, err := b.svc.CreateKey(b.ctx, workflow.System("test"), workflow.UserSpec{Name: "gone", Role: workflow.RoleAdmin})
	require.NoError(t, err)
	require.NoError(t, b.svc.RevokeKey(b.ctx, workflow.System("test"), revoked))

	param := regexp.MustCompile(`\{[^}]+\}`)
	oapi := b.server.API().OpenAPI()
	checked := 0
	for path, item := range oapi.Paths {
		ops := map[string]*opInfo{}
		if item.Get != nil {
			ops[http.MethodGet] = &opInfo{id: item.Get.OperationID, security: item.Get.Security}
		}
		if item.Post != nil {
			ops[http.MethodPost] = &opInfo{id: item.Post.OperationID, security: item.Post.Security}
		}
		if item.Put != nil {
			ops[http.MethodPut] = &opInfo{id: item.Put.OperationID, security: item.Put.Security}
		}
		if item.Patch != nil {
			ops[http.MethodPatch] = &opInfo{id: item.Patch.OperationID, security: item.Patch.Security}
		}
		if item.Delete != nil {
			ops[http.MethodDelete] = &opInfo{id: item.Delete.OperationID, security: item.Delete.Security}
		}
		for method, op := range ops {
			url := param.ReplaceAllString(path, "1")
			if !strings.HasPrefix(path, "/v1/") {
				require.Empty(t, op.security, "%s %s is public by design", method, path)
				continue
			}
			require.Len(t, op.security, 1, "%s %s declares its roles", method, path)
			roles := op.security[0]["bearer"]
			require.NotEmpty(t, roles, "%s %s declares its roles", method, path)
			require.Contains(t, roles, "admin", "an admin may do everything")

			for _, key := range []string{"", "rcl_bogus_key", "not-even-close", revoked} {
				status, body := b.do(t, method, url, key, "{}")
				require.Equal(t, http.StatusUnauthorized, status, "%s %s with key %q: %s", method, path, key, body)
			}
			for _, role := range workflow.Roles {
				status, body := b.do(t, method, url, b.keys[role], "{}")
				if slices.Contains(roles, string(role)) {
					require.NotContains(t, []int{http.StatusUnauthorized, http.StatusForbidden}, status, "%s %s as %s: %s", method, path, role, body)
				} else {
					require.Equal(t, http.StatusForbidden, status, "%s %s as %s: %s", method, path, role, body)
				}
			}
			checked++
		}
	}
	require.GreaterOrEqual(t, checked, 3, "the walk found the operations")
}

type opInfo struct {
	id       string
	security []map[string][]string
}

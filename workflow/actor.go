package workflow

import "slices"

// Role is what a user may do. An admin may do everything; a manager what a specialist may.
type Role string

// The roles.
const (
	RoleBilling    Role = "billing"
	RoleSpecialist Role = "specialist"
	RoleManager    Role = "manager"
	RoleAdmin      Role = "admin"
)

// Roles lists every role.
var Roles = []Role{RoleBilling, RoleSpecialist, RoleManager, RoleAdmin}

// Valid reports whether r is a role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Including is the roles that may do what any of rs may: rs themselves, managers where a
// specialist may, and admins always. The API declares each operation's roles this way.
func Including(rs ...Role) []Role {
	out := slices.Clone(rs)
	if slices.Contains(rs, RoleSpecialist) && !slices.Contains(out, RoleManager) {
		out = append(out, RoleManager)
	}
	if !slices.Contains(out, RoleAdmin) {
		out = append(out, RoleAdmin)
	}
	return out
}

// Actor is who does something: a user, or one of Reclaim's own components.
type Actor struct {
	UserID int64 // zero for Reclaim itself
	Name   string
	Role   Role
}

// System is Reclaim's own component acting, e.g. System("triage").
func System(component string) Actor { return Actor{Name: "system:" + component} }

func (a Actor) userID() *int64 {
	if a.UserID == 0 {
		return nil
	}
	return &a.UserID
}

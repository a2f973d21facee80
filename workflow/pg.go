package workflow

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
)

// isCheckViolation reports whether err is Postgres refusing a row its check constraints
// forbid: the database's last word on what may be stored.
func isCheckViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23514"
}

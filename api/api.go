package api

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/reclaimhq/reclaim/workflow"
)

// Config configures the HTTP interface.
type Config struct {
	// Service is the denial workflow. Required.
	Service *workflow.Service
	// Pool is the database, for the readiness check. Required.
	Pool *pgxpool.Pool
	// Logger receives request and error logs. Default: slog.Default().
	Logger *slog.Logger
	// Version is reported in the OpenAPI document. Default: the module version.
	Version string
}

// Server is Reclaim's HTTP handler.
type Server struct {
	svc     *workflow.Service
	pool    *pgxpool.Pool
	logger  *slog.Logger
	api     huma.API
	handler http.Handler
}

// New builds the handler with every route.
func New(cfg Config) *Server {
	s := &Server{svc: cfg.Service, pool: cfg.Pool, logger: cfg.Logger}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	version := cfg.Version
	if version == "" {
		version = moduleVersion()
	}

	mux := http.NewServeMux()
	hc := huma.DefaultConfig("Reclaim", version)
	hc.Info.Description = "Denial management for outpatient therapy claims: post denied lines, " +
		"and Reclaim triages them, keeps their deadlines and assigns the correction work.\n\n" +
		"Every /v1 operation needs an API key (`Authorization: Bearer <key>`); each lists the roles " +
		"allowed to call it. Money is integer cents; dates are YYYY-MM-DD calendar dates. Errors " +
		"are RFC 9457 problem documents."
	hc.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		securityScheme: {
			Type:         "http",
			Scheme:       "bearer",
			Description:  "An API key from `reclaim keys create`. The roles listed on an operation may call it.",
			BearerFormat: "rcl_…",
		},
	}
	hc.CreateHooks = nil // no $schema links in responses: clients get the contract, nothing more
	hc.RejectUnknownQueryParameters = true
	s.api = humago.New(mux, hc)
	s.api.UseMiddleware(s.authorize)

	s.registerHealth()
	s.registerDenials()
	s.registerPolicy()
	s.registerRemittances()

	s.handler = s.recoverPanics(s.logRequests(mux))
	return s
}

// API is the huma API, for tests that walk the OpenAPI document.
func (s *Server) API() huma.API { return s.api }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// operation describes a /v1 operation and the roles that may call it (with managers where
// specialists may, and admins everywhere).
func operation(id, method, path, summary string, roles ...workflow.Role) huma.Operation {
	allowed := workflow.Including(roles...)
	names := make([]string, len(allowed))
	for i, r := range allowed {
		names[i] = string(r)
	}
	return huma.Operation{
		OperationID: id,
		Method:      method,
		Path:        path,
		Summary:     summary,
		Description: fmt.Sprintf("%s.\n\nRoles: %v.", summary, names),
		Security:    []map[string][]string{{securityScheme: names}},
		Errors:      []int{http.StatusUnauthorized, http.StatusForbidden},
	}
}

// statusWriter notes the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs each request's method, path, status and duration; never its body or
// query, which may hold patient data.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		level := slog.LevelDebug
		switch {
		case sw.status >= 500:
			level = slog.LevelError
		case sw.status >= 400:
			level = slog.LevelInfo
		}
		s.logger.Log(r.Context(), level, "request", "method", r.Method, "path", r.URL.Path,
			"status", sw.status, "duration", time.Since(start))
	})
}

// recoverPanics answers a panicking handler with a 500 problem instead of a dropped
// connection, and logs the stack.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.logger.ErrorContext(r.Context(), "handler panicked", "panic", v, "stack", string(debug.Stack()))
				w.Header().Set("Content-Type", "application/problem+json")
				w.WriteHeader(http.StatusInternalServerError)
				_, _ = w.Write([]byte(`{"title":"Internal Server Error","status":500,"detail":"internal error; it has been logged"}`))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func moduleVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

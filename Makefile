# Reclaim's tasks. `make help` lists them.
SHELL := bash
.DEFAULT_GOAL := help
.PHONY: help run test test-short generate lint key build bench

ADDR ?= 127.0.0.1:8080

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

build: ## build bin/reclaim
	go build -o bin/reclaim ./cmd/reclaim

run: build ## find or start Postgres, migrate, load demo data when empty, serve on $(ADDR)
	@url=$$(db/pg-url --database reclaim) && \
	echo "database: $$url" && \
	echo "create a key: make key NAME=me ROLE=billing" && \
	DATABASE_URL="$$url" RECLAIM_ADDR="$(ADDR)" bin/reclaim serve --demo

key: build ## print a new API key: make key NAME=alice ROLE=specialist [QUEUES=clinical,coding]
	@test -n "$(NAME)" -a -n "$(ROLE)" || { echo "usage: make key NAME=alice ROLE=specialist [QUEUES=clinical]" >&2; exit 2; }
	@url=$$(db/pg-url --database reclaim) && \
	DATABASE_URL="$$url" bin/reclaim keys create --name "$(NAME)" --role "$(ROLE)" $(if $(QUEUES),--queues "$(QUEUES)")

test: ## run every test against a real Postgres (found or started), in isolated databases
	@url=$$(db/pg-url) && echo "test server: $$url" && \
	TEST_DATABASE_URL="$$url" go test -count=1 -timeout 15m ./...

generate: ## regenerate the sqlc query code from queries/*.sql
	go tool sqlc generate

lint: ## vet, gofmt, and fail when sqlc's generated code drifts from the queries
	go vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	go tool sqlc diff

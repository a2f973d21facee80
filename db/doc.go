// Package db is Reclaim's storage: the embedded schema migrations, the connection pool, the
// migration runner (River's tables and ours) and, in package dbsqlc, the type-safe queries
// sqlc compiles from queries/*.sql. Package dbtest gives tests isolated, migrated databases.
//
// It is the bottom of the dependency graph: workflow and api use it; it uses nothing of
// Reclaim's.
package db

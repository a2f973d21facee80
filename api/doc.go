// Package api is Reclaim's HTTP interface: the v1 JSON API described by the OpenAPI
// document at /openapi.json (docs at /docs), health checks, and the web pages.
//
// It sits on top of the workflow: handlers translate HTTP into calls on
// [workflow.Service] and its answers back, nothing more. Every /v1 operation declares
// the roles allowed to call it in the OpenAPI document, and one middleware enforces what
// the document says. Failures become RFC 9457 problem documents; the kind of a workflow
// error decides the status in one table (see problem.go).
package api

// Package workflow is Reclaim's denial workflow: what happens to a denied line from the
// moment a billing system posts it until it is resolved.
//
// Ingest stores a batch of lines and enqueues their triage jobs in one transaction. The
// triage worker (a River job) reads each line's facts, asks package rules for the
// category, action and deadlines, creates the correction task in its queue and assigns it
// to the least-loaded specialist, all in one transaction that also completes the job, so
// its effects happen exactly once. Every change is an event with an actor.
//
// The flow's seams: rules decides (no I/O), [Service.createTasks] is the one place tasks
// are made and assigned, [storeDeadlines] the one place deadlines are written. Errors
// callers should act on carry a kind from package errs.
package workflow

// Package integration tests the custody package against the real stores
// (SQLite always, PostgreSQL when TEST_POSTGRES_DSN is set): the export path
// from the store to a verified court package, and the append benchmarks. It
// lives apart from package custody so that fuzzing custody does not
// instrument the database drivers.
package integration

// Package testserver starts the throwaway servers that tests of the
// networked session stores and the end-to-end tests run against: a
// redis-server, a PostgreSQL cluster (initdb and pg_ctl, as an unprivileged
// user when the tests run as root) and dynalite, the DynamoDB stand-in from
// npm. Each listens on a free loopback port with its data in a temporary
// folder, and is stopped by the caller's stop function or the test's
// cleanup. A server whose program is not installed is reported as a
// *MissingError; Require turns that into a skip, except under CI=true,
// where a missing program means a broken set-up and fails the test. The
// start-up code lives here once so every package starts its servers the
// same way.
package testserver

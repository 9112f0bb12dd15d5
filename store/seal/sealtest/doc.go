// Package sealtest checks that a persistent session store keeps its bodies
// sealed (package store/seal): the store conformance suite with encryption
// on, no plaintext at rest, key rotation, plain bodies written before
// encryption was turned on, and the errors for a missing or unknown key, a
// tampered body and a body moved to another session. A store's test gives
// it a Backend that can open stores on one database and read and write the
// raw stored bodies.
package sealtest

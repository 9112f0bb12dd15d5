// Package seal encrypts stored session bodies: the self-hosted counterpart
// of a KMS-encrypted table. It owns the keyring (AES-256-GCM keys by id,
// one current key for writing and every key for reading, so keys rotate
// without losing sessions), the key sources (a key file of `ID BASE64KEY`
// lines or the PARLEY_STORE_KEY variable) and the sealed envelope, a JSON
// object {"sealed":"v1:KEYID:BASE64"} that every persistent store can hold
// where it keeps a plain JSON body (TEXT, a string, JSONB, an attribute).
// The caller's additional data (the session key) is bound into each seal,
// so a body cannot be moved to another session.
package seal

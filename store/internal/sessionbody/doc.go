// Package sessionbody is the JSON body format every persistent session store
// (store/sqlite, store/redis, store/postgres, store/dynamodb) keeps a
// parley.Session in: every field under
// its JSON tag name but without omitempty, so nil and empty collections stay
// apart and a stored session decodes to exactly what was put. A Codec with
// keys seals that body (package store/seal) with the session key as
// additional data, and reads plain and sealed bodies alike.
package sessionbody

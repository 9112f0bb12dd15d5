// Package sessionbody is the JSON body format every persistent session store
// (store/sqlite, store/redis, store/postgres, store/dynamodb) keeps a
// parley.Session in: every field under
// its JSON tag name but without omitempty, so nil and empty collections stay
// apart and a stored session decodes to exactly what was put.
package sessionbody

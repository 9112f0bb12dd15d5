// Package connector holds what every messaging-platform connector shares,
// so that each channel/<name> package only speaks its platform: the Channel
// interface the server mounts, the Config a connector is built from, the
// inbound request checks in the order every platform needs them (method,
// content type, size, raw bytes), de-duplication of platform retries, a
// JSON client for platform send APIs with retries and backoff on 429 and
// 5xx, per-channel counters, the mapping of a turn's Lex messages onto a
// small generic model (text, cards, carousels, quick replies), and session
// ids that are valid Lex session ids for any platform user id. It imports
// only the root package.
package connector

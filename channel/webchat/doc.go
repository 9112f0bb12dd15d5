// Package webchat serves Parley's browser chat: a single page with a bot
// picker, the chat itself and its static assets (embedded in the binary, no
// build step), a JSON list of the served bots for the picker (GET /bots) and
// the small JSON endpoint the page talks to (POST /chat), which runs one turn
// through a parley.Runtime on the draft alias. It owns the page's security
// headers and the mapping of parley error codes to HTTP statuses for /chat;
// authentication and the server itself belong to the caller (cmd/parley).
// The /chat request and response are documented in README.md.
package webchat

// Package slack connects a bot to Slack through the Events API, slash
// commands and interactivity (Block Kit buttons): it verifies Slack's v0
// request signatures with their five-minute window, acknowledges within
// Slack's three seconds and runs the turn in the background, drops bot,
// edited and duplicate events (by event_id, retry headers and the
// (channel, ts) of a mention delivered twice), keeps unlisted channels and
// users away from the dialog when allow-lists are set, and answers in the
// user's thread through chat.postMessage (or a slash command's
// response_url) with the turn's messages rendered as Block Kit. It owns one
// session per (channel, user) pair. Settings and the set-up of a real Slack
// app are in README.md.
package slack

// Package channeltest is the conformance suite every messaging connector
// passes: Run drives a connector through the test's Platform (the faithful
// fake of the messaging service) and checks the behaviour channels.md
// requires of all of them — a conversation reaches the bot and its replies
// reach the user, retries are processed once, and every bad input (wrong
// method, content type, oversized body, bad signature, malformed or unknown
// events) gets its status code without reaching the dialog. Runtime is a
// scripted parley.Runtime that records what reached it.
package channeltest

// Package driver is the open-loop load generator behind bench/load: it starts
// turns against a running Parley server (Lex RecognizeText, the web chat's
// POST /chat, or both) at a fixed rate for a fixed time, each at its
// scheduled instant whether or not earlier turns have finished, and measures
// every latency from that scheduled instant, so a server that falls behind
// shows its queueing in the percentiles instead of silently slowing the
// generator down (coordinated omission). Sessions play a multi-turn
// conversation in order and start a fresh session id after each cycle. Per
// interval it reports sent, answered and failed turns (by status or
// exception), throughput, p50/p99/max and the server's memory (VmRSS from
// /proc and the Go runtime figures of /metrics); at the end, a summary that
// compares the first and last minute's memory.
package driver

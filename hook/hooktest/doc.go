// Package hooktest is the conformance suite that every code hook transport
// passes: Lambda, webhook, the local Python and Node runners and in-process
// Go all answer the same scenarios the same way.
//
// [Run] invokes a hook with a realistic Lex V2 event ([Event]: the
// PizzaShop bot's OrderPizza intent with two slots filled, a scored
// interpretation and an unscored FallbackIntent, request and session
// attributes with Korean text, an active context, the proposed next state
// and a transcription) whose inputTranscript is "hooktest:<scenario>", and
// checks what comes back. The function behind the hook implements the
// scenarios: Go-backed fakes (a fake Lambda endpoint, an HTTP server, a Go
// router) call [Respond]; the local runners load testdata/scenarios.py
// (lambda_handler) or testdata/scenarios.js (handler), which answer the
// same, and print one line "hooktest scenario <name>" per call for the
// runner to log.
//
//	scenario                  the function answers                            the suite expects
//	close                     Close, intent Fulfilled, one PlainText message  that, and a valid response
//	elicit_slot               ElicitSlot Crust, slot Crust null, a message    that, and a valid response
//	confirm_intent            ConfirmIntent, Topping filled, a message        that, and a valid response
//	delegate                  Delegate, Topping filled                        that, and a valid response
//	elicit_intent             ElicitIntent without an intent, a message       that, and a valid response
//	session_attributes        Delegate with new session attributes            exactly the new map
//	session_attributes_clear  Delegate with sessionAttributes {}              an empty, non-nil map
//	active_contexts           Delegate with one new context                   exactly that context
//	echo                      Close with the received event in CustomPayload  the event arrived intact: bot, sessionId,
//	                                                                          bare-number nluConfidence, attributes …
//	throw                     an error "hooktest: thrown on purpose"          ErrDependencyFailed containing that text
//	crash                     exit status 3 / HTTP 502 / Lambda Unhandled     ErrDependencyFailed; the next call succeeds
//	timeout                   nothing for 5 s (Go: until its context ends)    ErrDependencyFailed saying "timed out"
//	                                                                          before the 5 s; the next call succeeds
//	not_json                  bytes that are not JSON                         ErrDependencyFailed mentioning JSON
//	oversize                  a Close of about 30 KB                          ErrDependencyFailed naming the 25,600 limit
//	bad_shape                 a dialogAction without its type                 no transport error; Validate names
//	                                                                          dialogAction.type
//
// A last case, concurrent, sends eight echo events with distinct session
// ids at once and expects each answer to carry its own.
//
// A transport's hook passed to Run must be built with a 1 s timeout and the
// default 25,600-byte response limit. Failures are checked by code
// (ErrDependencyFailed, possibly wrapping context.DeadlineExceeded) and by
// the words above, so a transport may word the rest of its message as it
// likes. The script runners serialise the handler's return value
// themselves, so there not_json answers the JSON string "not json"
// instead: "not a JSON object" satisfies the suite as well as "not valid
// JSON".
package hooktest

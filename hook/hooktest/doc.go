// Package hooktest is the conformance suite that every code hook transport
// passes: Lambda, webhook, local Python/Node runners and in-process Go.
//
// [Run] invokes a hook with a realistic Lex V2 event for a PizzaShop bot
// whose inputTranscript is "hooktest:<scenario>", and checks what comes
// back. The function behind the hook must implement the scenarios: Go-backed
// fakes call [Respond]; the local runners load testdata/scenarios.py
// (lambda_handler) or testdata/scenarios.js (handler). The scenarios are
//
//	close, elicit_slot, confirm_intent, delegate, elicit_intent  one well-formed response of each dialog action
//	session_attributes, session_attributes_clear                  replace the attributes; clear them with {}
//	active_contexts                                               replace the contexts with one new context
//	echo                                                          the received event, as JSON, in a CustomPayload message
//	throw                                                         the function fails with "hooktest: thrown on purpose"
//	crash                                                         the function's process dies (exit 3, HTTP 502, Lambda Unhandled)
//	timeout                                                       the function sleeps 5 s, then answers close
//	not_json                                                      the answer is not a JSON object
//	oversize                                                      the answer is about 30 KB, over the 25,600-byte limit
//	bad_shape                                                     the answer has no sessionState.dialogAction.type
//
// A transport's hook passed to Run must be built with a 1 s timeout and the
// default 25,600-byte response limit. The script runners cannot produce
// bytes that are not JSON, so there not_json answers the JSON string
// "not json"; the suite accepts any ErrDependencyFailed whose message
// mentions JSON ("not valid JSON", "not a JSON object").
package hooktest

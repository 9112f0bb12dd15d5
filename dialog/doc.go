// Package dialog is Parley's dialog manager: the pure state machine that
// turns one understood user input and the stored session into the next
// session state, the messages to say and the interpretations to report, with
// Amazon Lex V2's classic flow (initial response, slots by priority with
// retries, confirmation, fulfillment, closing response) and, for intents
// built as step graphs (parley.Intent.IsStepGraph), Lex's next steps,
// conditional branches (ParseCondition), set values, jumps to other intents
// and labelled code hooks at each step (graph.go); CheckGraph checks a
// locale's graphs at load time. It does no I/O,
// reads no clock and starts no goroutines: the engine passes the time in,
// calls the Interpreter before Step, and invokes code hooks between Step (or
// Put) and Resume whenever an Outcome carries a Pending hook call.
//
// One user turn, as the engine runs it: ValidateState checks the names in
// the request's session state; Merge applies that state to the stored
// session; Query says what to ask the Interpreter; Step advances the dialog;
// while the Outcome has a Pending hook call, the engine invokes the hook and
// hands its answer to Resume; the final Outcome's Session is stored. A
// PutSession request goes through Put instead of Merge, Query and Step.
//
// Decisions on behaviour the Lex documentation leaves open (lex-v2.md §9):
//
//   - An intent fulfilled without a code hook reports state Fulfilled (not
//     ReadyForFulfillment) and dialogAction Close.
//   - FallbackIntent, when it wins classification, runs like any intent
//     without slots: state Fulfilled, its closing response, Close.
//   - When a slot or the confirmation is not understood after the prompt's
//     maxRetries, the abandoned intent is reported as Failed with Close and
//     the FallbackIntent's responses are said.
//   - Messages returned by a code hook replace the bot's own message for the
//     step the hook ran for (the next prompt for a dialog hook; the success,
//     failure or timeout response for a fulfillment hook); a closing response
//     still follows a successful fulfillment.
//   - A Delegate PutSession runs the flow from the given intent without the
//     dialog code hook; the fulfillment code hook still runs.
//   - A context with turnsToLive N can gate intents on the N user turns after
//     the one that activated it; the reported timeToLive is what remains.
//   - While a slot is elicited, a value for another slot of the current
//     intent (a correction such as "actually make it medium") counts as an
//     answer: the value replaces the old one and the dialog moves on.
//   - The first interpretation mirrors the session's intent whenever the
//     turn acted on an intent; a continued intent absent from the ranked list
//     is reported with confidence 1.0, as Lex does for slot answers.
//   - The dialog code hook also runs on the turn whose retries ran out; it
//     is proposed Close with the intent Failed, and a Delegate that leaves
//     the slot unfilled goes on down the failure path.
//   - The initial-response and elicitation code hooks run whether or not the
//     intent's dialogCodeHook is set, each once in place of the per-turn
//     call, with its invocation label; the elicitation hook runs before
//     each retry of the slot's prompt, not after the last one.
//   - A step-graph intent calls the dialog code hook only at steps that say
//     so (an InvokeDialogCodeHook next step, or a step whose only setting is
//     its hook), never on every turn, whatever its dialogCodeHook switch.
//     A step hook answering Delegate takes the step's success outcome, or
//     its failure outcome when it set the intent's state to Failed; any
//     other dialog action overrides the graph.
//   - A condition that reads something unset is false (the branch is not
//     taken), unless AND or OR already decided, left to right. Values
//     compare as numbers when both sides are numbers, otherwise as
//     case-folded strings, which orders ISO dates and times; durations are
//     not compared by length.
//   - EndConversation or CloseIntent before fulfillment reports the intent
//     as Failed; a turn that chains more than 32 steps (a loop) ends that
//     way too.
//   - A hook answering Close must set the intent's state to Fulfilled or
//     Failed when it returns the intent (parley.CodeHookResponse.Validate).
package dialog

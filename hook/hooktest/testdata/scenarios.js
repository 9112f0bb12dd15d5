'use strict';
// hooktest scenarios for Parley's local Node runner.
//
// Parley's conformance suite (hook/hooktest) invokes handler with a Lex V2
// event whose inputTranscript is "hooktest:<scenario>"; each scenario answers
// what hooktest.Respond answers in Go. Plain Node, no npm packages.

const PREFIX = 'hooktest:';
const THROWN = 'hooktest: thrown on purpose';
const CLOSE_TEXT = 'hooktest: your pizza is on its way';
const ELICIT_SLOT_TEXT = 'hooktest: which crust would you like?';
const CONFIRM_TEXT = 'hooktest: shall I place the order?';
const ELICIT_INTENT_TEXT = 'hooktest: what else can I do for you?';

exports.handler = async (event, context) => {
  const transcript = event.inputTranscript || '';
  if (!transcript.startsWith(PREFIX)) {
    throw new Error(`hooktest: inputTranscript ${JSON.stringify(transcript)} does not name a scenario`);
  }
  const scenario = transcript.slice(PREFIX.length);
  // One line per call: the runner routes it to Parley's log.
  console.log(`hooktest scenario ${scenario}`);
  switch (scenario) {
    case 'throw':
      throw new Error(THROWN);
    case 'crash':
      process.exit(3);
      break;
    case 'timeout':
      await new Promise((resolve) => setTimeout(resolve, 5000));
      return respond(event, 'close');
    case 'not_json':
      // The runner serialises the return value itself, so a handler cannot
      // answer bytes that are not JSON; a bare string is not a response.
      return 'not json';
  }
  return respond(event, scenario);
};

const plain = (text) => [{ contentType: 'PlainText', content: text }];

const scalar = (original, interpreted) => ({
  shape: 'Scalar',
  value: { originalValue: original, interpretedValue: interpreted, resolvedValues: [interpreted] },
});

function respond(event, scenario) {
  // Like a real hook: start from the session state and change what the
  // scenario is about. An absent list or map stays absent: empty would
  // clear it.
  const received = event.sessionState;
  const state = { intent: structuredClone(received.intent) };
  for (const key of ['sessionAttributes', 'activeContexts']) {
    if (key in received) state[key] = structuredClone(received[key]);
  }
  const intent = state.intent;
  const response = { sessionState: state };
  switch (scenario) {
    case 'close':
      state.dialogAction = { type: 'Close' };
      intent.state = 'Fulfilled';
      response.messages = plain(CLOSE_TEXT);
      break;
    case 'elicit_slot':
      state.dialogAction = { type: 'ElicitSlot', slotToElicit: 'Crust' };
      intent.slots.Crust = null;
      response.messages = plain(ELICIT_SLOT_TEXT);
      break;
    case 'confirm_intent':
      state.dialogAction = { type: 'ConfirmIntent' };
      intent.slots.Topping = scalar('mushrooms', 'mushroom');
      response.messages = plain(CONFIRM_TEXT);
      break;
    case 'delegate':
      state.dialogAction = { type: 'Delegate' };
      intent.slots.Topping = scalar('mushrooms', 'mushroom');
      break;
    case 'elicit_intent':
      state.dialogAction = { type: 'ElicitIntent' };
      delete state.intent;
      response.messages = plain(ELICIT_INTENT_TEXT);
      break;
    case 'session_attributes':
      state.dialogAction = { type: 'Delegate' };
      state.sessionAttributes = { hooktest: 'replaced', '주문': '피자' };
      break;
    case 'session_attributes_clear':
      state.dialogAction = { type: 'Delegate' };
      intent.slots.Topping = scalar('mushrooms', 'mushroom');
      state.sessionAttributes = {};
      break;
    case 'active_contexts':
      state.dialogAction = { type: 'Delegate' };
      state.activeContexts = [{
        name: 'hooktest_ctx',
        timeToLive: { timeToLiveInSeconds: 120, turnsToLive: 2 },
        contextAttributes: { source: 'hooktest', step: '2' },
      }];
      break;
    case 'echo':
      state.dialogAction = { type: 'Close' };
      intent.state = 'Fulfilled';
      response.messages = [{ contentType: 'CustomPayload', content: JSON.stringify(event) }];
      break;
    case 'oversize':
      state.dialogAction = { type: 'Close' };
      intent.state = 'Fulfilled';
      response.messages = plain('x'.repeat(30 * 1024));
      break;
    case 'bad_shape':
      // A dialogAction without its type: the runner passes it on and
      // Parley's validation names the field.
      state.dialogAction = {};
      intent.state = 'Fulfilled';
      response.messages = plain(CLOSE_TEXT);
      break;
    default:
      throw new Error(`hooktest: unknown scenario ${JSON.stringify(scenario)}`);
  }
  return response;
}

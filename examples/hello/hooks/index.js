// HelloWorld's dialog code hook: a plain Amazon Lex V2 Lambda function for
// the Node.js runtime. Parley runs it unchanged with `node:hooks/index.js`;
// the same file deploys to AWS Lambda (Node.js 18+) as the alias's Lambda.
//
// On every turn of HelloIntent it checks the Name slot: a name must be
// Korean (Hangul) and at least two syllables long. Anything else — a single
// character, digits, Latin letters — is asked for again; a good name, or no
// name yet, is handed back to the bot (Delegate).

const NAME_PROMPT = '이름은 한글 두 글자 이상으로 알려 주세요.';

function slotValue(intent, name) {
  const slot = (intent.slots || {})[name];
  return slot && slot.value ? slot.value.interpretedValue : null;
}

function validName(name) {
  const chars = Array.from(name.trim());
  return chars.length >= 2 && !/[0-9A-Za-z]/.test(name);
}

function delegate(event) {
  const state = event.sessionState;
  return {
    sessionState: {
      sessionAttributes: state.sessionAttributes || {},
      activeContexts: state.activeContexts || [],
      dialogAction: { type: 'Delegate' },
      intent: state.intent,
    },
  };
}

function elicitSlot(event, slot, message) {
  const state = event.sessionState;
  const intent = { ...state.intent, slots: { ...state.intent.slots, [slot]: null } };
  return {
    sessionState: {
      sessionAttributes: state.sessionAttributes || {},
      activeContexts: state.activeContexts || [],
      dialogAction: { type: 'ElicitSlot', slotToElicit: slot },
      intent,
    },
    messages: [{ contentType: 'PlainText', content: message }],
  };
}

exports.handler = async (event) => {
  const intent = event.sessionState.intent;
  const name = slotValue(intent, 'Name');
  console.log(`${event.invocationSource} ${intent.name} session=${event.sessionId} input=${JSON.stringify(event.inputTranscript)} Name=${JSON.stringify(name)}`);
  if (intent.name === 'HelloIntent' && event.invocationSource === 'DialogCodeHook' && name !== null && !validName(name)) {
    console.log(`rejecting name ${JSON.stringify(name)}`);
    return elicitSlot(event, 'Name', NAME_PROMPT);
  }
  return delegate(event);
};

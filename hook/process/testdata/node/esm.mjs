export const handler = async (event) => ({
  sessionState: { dialogAction: { type: 'Close' }, intent: { name: 'OrderPizza', state: 'Fulfilled' } },
  messages: [{ contentType: 'PlainText', content: 'esm ' + event.inputTranscript }],
});

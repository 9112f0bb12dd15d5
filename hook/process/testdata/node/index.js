'use strict';
// Handlers for hook/process tests; the event's inputTranscript picks one.
const fs = require('fs');
const path = require('path');
const helper = require('./helper');

function close(text, extra) {
  return {
    sessionState: {
      dialogAction: { type: 'Close' },
      intent: { name: 'OrderPizza', state: 'Fulfilled' },
      sessionAttributes: extra || {},
    },
    messages: [{ contentType: 'PlainText', content: text }],
  };
}

exports.handler = async (event, context) => {
  const what = event.inputTranscript;
  switch (what) {
    case 'print':
      console.log('hello from node');
      console.error('to stderr');
      return close('printed');
    case 'context':
      return close('context', {
        awsRequestId: context.awsRequestId,
        functionName: context.functionName,
        functionVersion: context.functionVersion,
        invokedFunctionArn: context.invokedFunctionArn,
        memoryLimitInMB: String(context.memoryLimitInMB),
        logGroupName: context.logGroupName,
        logStreamName: context.logStreamName,
        callbackWaitsForEmptyEventLoop: String(context.callbackWaitsForEmptyEventLoop),
        remainingPositive: String(context.getRemainingTimeInMillis() > 0 && context.getRemainingTimeInMillis() <= 10000),
        pid: String(process.pid),
        cwd: process.cwd(),
        helper: helper.NAME,
      });
    case 'env': {
      const out = {};
      for (const k of event.sessionState.sessionAttributes.keys.split(',')) out[k] = process.env[k] === undefined ? '<unset>' : process.env[k];
      return close('env', out);
    }
    case 'barrier': {
      const folder = event.sessionState.sessionAttributes.folder;
      fs.writeFileSync(path.join(folder, String(process.pid)), '');
      while (fs.readdirSync(folder).length < 2) await new Promise((r) => setTimeout(r, 10));
      return close('barrier', { pid: String(process.pid) });
    }
    case 'keyerror':
      return event.sessionState.slots.Size.value;
    case 'circular': {
      const o = { sessionState: {} };
      o.sessionState.self = o;
      return o;
    }
    case 'exit0':
      process.exit(0);
  }
  return close('ok');
};

// callback is the pre-async style: (event, context, callback).
exports.callback = function (event, context, callback) {
  setTimeout(() => {
    if (event.inputTranscript === 'fail') callback(new TypeError('callback failed'));
    else callback(null, close('callback ' + context.functionName, { pid: String(process.pid) }));
  }, 5);
};

// promise returns a promise without being an async function.
exports.promise = function (event) {
  return Promise.resolve(close('promise ' + event.inputTranscript));
};

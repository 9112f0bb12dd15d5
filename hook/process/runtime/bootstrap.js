// Parley's Lambda-like runtime for one Node.js handler.
//
// Run as: node bootstrap.js HANDLER_FILE HANDLER_NAME
//
// Requests arrive on fd 3, one JSON line each: {id, deadlineMs, event}.
// Frames go out on fd 4: a JSON header line {kind, id, size, ...} followed
// by size bytes of payload. console.* calls are sent as "log" frames so
// they carry the request id and keep their order with the answer; direct
// writes to process.stdout/stderr still reach the parent's pipes.
'use strict';

const fs = require('fs');
const path = require('path');
const readline = require('readline');
const url = require('url');
const util = require('util');

const [file, handlerName] = process.argv.slice(2);
const root = path.dirname(path.resolve(file));
let currentId = '';

function send(kind, id, payload, fields) {
  const body = Buffer.from(payload || '', 'utf8');
  const header = Object.assign({}, fields, { kind, id: id || '', size: body.length });
  const data = Buffer.concat([Buffer.from(JSON.stringify(header) + '\n', 'utf8'), body]);
  let off = 0;
  while (off < data.length) {
    try {
      off += fs.writeSync(4, data, off);
    } catch (err) {
      // The parent end may be non-blocking for a moment; anything else
      // means the parent is gone.
      if (err.code !== 'EAGAIN') process.exit(1);
    }
  }
}

const levels = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'DEBUG' };
for (const [method, level] of Object.entries(levels)) {
  console[method] = (...args) => {
    let text = util.format(...args);
    if (method === 'trace') text = 'Trace: ' + text + '\n' + new Error().stack.split('\n').slice(2).join('\n');
    send('log', currentId, text, { level });
  };
}

// where names the deepest stack frame in the handler's folder.
function where(err) {
  const stack = err && typeof err.stack === 'string' ? err.stack.split('\n') : [];
  let fallback = '';
  for (const line of stack) {
    const m = /\(?((?:file:\/\/)?\/[^():]+):(\d+):\d+\)?\s*$/.exec(line);
    if (!m) continue;
    const file = m[1].startsWith('file://') ? url.fileURLToPath(m[1]) : m[1];
    const here = path.relative(root, file) + ' line ' + m[2];
    if (!fallback) fallback = path.basename(file) + ' line ' + m[2];
    if (!path.relative(root, file).startsWith('..') && !file.includes(path.sep + 'node_modules' + path.sep)) return here;
  }
  return fallback;
}

function errorPayload(err, type, message) {
  const isError = err instanceof Error;
  return JSON.stringify({
    errorType: type || (isError ? err.name : typeof err),
    errorMessage: message !== undefined ? message : (isError ? err.message : String(err)),
    where: isError ? where(err) : '',
    stackTrace: isError && err.stack ? err.stack.split('\n').slice(1).map((s) => s.trim()) : [],
  });
}

async function load() {
  const ext = path.extname(file);
  let mod;
  try {
    if (ext === '.mjs') {
      mod = await import(url.pathToFileURL(path.resolve(file)).href);
    } else {
      try {
        mod = require(path.resolve(file));
      } catch (err) {
        if (err.code !== 'ERR_REQUIRE_ESM') throw err;
        mod = await import(url.pathToFileURL(path.resolve(file)).href);
      }
    }
  } catch (err) {
    if (err instanceof SyntaxError) {
      send('init_error', '', errorPayload(err, 'Runtime.UserCodeSyntaxError', 'SyntaxError: ' + err.message));
    } else if (err && err.code === 'MODULE_NOT_FOUND') {
      send('init_error', '', errorPayload(err, 'Runtime.ImportModuleError', 'Error: ' + err.message.split('\n')[0]));
    } else {
      send('init_error', '', errorPayload(err));
    }
    return null;
  }
  const fn = mod && mod[handlerName];
  if (typeof fn !== 'function') {
    const base = path.basename(file, ext);
    send('init_error', '', JSON.stringify({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: base + '.' + handlerName + ' is undefined or not exported',
    }));
    return null;
  }
  return fn;
}

function makeContext(id, deadlineMs, finish) {
  const env = process.env;
  const name = env.AWS_LAMBDA_FUNCTION_NAME || '';
  return {
    awsRequestId: id,
    functionName: name,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION || '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:' + (env.AWS_REGION || 'us-east-1') + ':000000000000:function:' + name,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE || '128',
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME || '',
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME || '',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(deadlineMs - Date.now(), 0),
    // The legacy completion methods of old handlers.
    succeed: (result) => finish(null, result),
    fail: (err) => finish(err === undefined || err === null ? new Error('handled') : err),
    done: (err, result) => finish(err, result),
  };
}

function answer(id, err, result) {
  if (err !== null && err !== undefined) {
    send('error', id, errorPayload(err));
    return;
  }
  let payload;
  try {
    payload = JSON.stringify(result === undefined ? null : result);
  } catch (e) {
    send('invalid', id, 'Unable to stringify response body: ' + (e && e.message ? e.message : String(e)));
    return;
  }
  send('result', id, payload);
}

function invoke(handler, request) {
  const id = request.id;
  currentId = id;
  let done = false;
  const finish = (err, result) => {
    if (done) return;
    done = true;
    answer(id, err, result);
  };
  const context = makeContext(id, request.deadlineMs, finish);
  let returned;
  try {
    returned = handler(request.event, context, finish);
  } catch (err) {
    finish(err);
    return;
  }
  if (returned && typeof returned.then === 'function') {
    returned.then((result) => finish(null, result), (err) => finish(err === undefined ? new Error('rejected') : err));
  } else if (handler.length < 3) {
    // A synchronous handler that takes no callback: Lambda answers null.
    finish(null, null);
  }
}

// An error outside any handler call ends the runtime, as in Lambda; the
// call in flight, if any, gets it as its answer first.
function fatal(err) {
  if (currentId) send('error', currentId, errorPayload(err, err instanceof Error ? undefined : 'Runtime.UnhandledPromiseRejection'));
  process.exit(129);
}
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);

(async () => {
  const handler = await load();
  if (!handler) process.exit(1);
  send('ready', '', '');
  const requests = readline.createInterface({ input: fs.createReadStream(null, { fd: 3 }), crlfDelay: Infinity });
  requests.on('line', (line) => invoke(handler, JSON.parse(line)));
  requests.on('close', () => process.exit(0));
})();

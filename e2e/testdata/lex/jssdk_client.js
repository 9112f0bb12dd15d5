// Drives Parley's Lex V2 runtime API with @aws-sdk/client-lex-runtime-v2,
// unchanged. The client's Node request handler speaks HTTP/2, and over an
// http:// endpoint that is cleartext HTTP/2 (h2c with prior knowledge), so
// every call here also proves that the server serves h2c.
//
// Usage: NODE_PATH=.tools/node/node_modules node jssdk_client.js ENDPOINT_URL < calls.json
//
// Same input and output as boto3_client.py: a JSON array of calls on stdin,
// a JSON array of results ({op, response} or {op, error: {code, message,
// status, modeled}}) on stdout, with the gzip+base64 headers decoded.
"use strict";

const zlib = require("zlib");
const sdk = require("@aws-sdk/client-lex-runtime-v2");

function decodeJSON(value) {
  if (value === undefined) return null;
  return JSON.parse(zlib.gunzipSync(Buffer.from(value, "base64")).toString("utf8"));
}

function decodeText(value) {
  if (value === undefined) return null;
  return zlib.gunzipSync(Buffer.from(value, "base64")).toString("utf8");
}

function encodeJSON(value) {
  return zlib.gzipSync(Buffer.from(JSON.stringify(value), "utf8")).toString("base64");
}

async function audioBytes(stream) {
  if (!stream) return 0;
  return (await stream.transformToByteArray()).length;
}

async function call(client, c) {
  const key = { botId: c.botId, botAliasId: c.botAliasId, localeId: c.localeId, sessionId: c.sessionId };
  switch (c.op) {
    case "recognizeText": {
      const input = { ...key, text: c.text };
      if ("sessionState" in c) input.sessionState = c.sessionState;
      if ("requestAttributes" in c) input.requestAttributes = c.requestAttributes;
      return client.send(new sdk.RecognizeTextCommand(input));
    }
    case "recognizeUtterance": {
      const input = {
        ...key,
        requestContentType: "text/plain; charset=utf-8",
        responseContentType: "text/plain; charset=utf-8",
        inputStream: Buffer.from(c.text, "utf8"),
      };
      if ("sessionState" in c) input.sessionState = encodeJSON(c.sessionState);
      if ("requestAttributes" in c) input.requestAttributes = encodeJSON(c.requestAttributes);
      const out = await client.send(new sdk.RecognizeUtteranceCommand(input));
      return {
        inputMode: out.inputMode,
        contentType: out.contentType,
        sessionId: out.sessionId,
        messages: decodeJSON(out.messages),
        interpretations: decodeJSON(out.interpretations),
        sessionState: decodeJSON(out.sessionState),
        requestAttributes: decodeJSON(out.requestAttributes),
        inputTranscript: decodeText(out.inputTranscript),
        audioBytes: await audioBytes(out.audioStream),
      };
    }
    case "putSession": {
      const input = { ...key, sessionState: c.sessionState };
      if ("messages" in c) input.messages = c.messages;
      if ("requestAttributes" in c) input.requestAttributes = c.requestAttributes;
      const out = await client.send(new sdk.PutSessionCommand(input));
      return {
        contentType: out.contentType,
        sessionId: out.sessionId,
        messages: decodeJSON(out.messages),
        sessionState: decodeJSON(out.sessionState),
        requestAttributes: decodeJSON(out.requestAttributes),
        audioBytes: await audioBytes(out.audioStream),
      };
    }
    case "getSession":
      return client.send(new sdk.GetSessionCommand(key));
    case "deleteSession":
      return client.send(new sdk.DeleteSessionCommand(key));
    default:
      throw new Error(`jssdk_client.js: unknown op ${c.op}`);
  }
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

async function main() {
  if (process.argv.length !== 3) throw new Error("usage: node jssdk_client.js ENDPOINT_URL < calls.json");
  const client = new sdk.LexRuntimeV2Client({
    endpoint: process.argv[2],
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDPARLEYE2E", secretAccessKey: "parley-e2e-secret" },
    maxAttempts: 1,
  });
  const results = [];
  for (const c of JSON.parse(await readStdin())) {
    try {
      const response = await call(client, c);
      delete response.$metadata;
      results.push({ op: c.op, response });
    } catch (e) {
      if (!e.$metadata) throw e; // not a service error: a bug or a transport failure
      const modeled = typeof sdk[e.name] === "function" && e instanceof sdk[e.name];
      results.push({ op: c.op, error: { code: e.name, message: e.message, status: e.$metadata.httpStatusCode, modeled } });
    }
  }
  client.destroy();
  process.stdout.write(JSON.stringify(results));
}

main().catch((e) => {
  console.error("jssdk_client.js:", e);
  process.exit(1);
});

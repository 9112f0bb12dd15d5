// Calls RecognizeText with the AWS SDK for JavaScript v3, each call signed
// with its accessKeyId and secretAccessKey when given, otherwise with the
// environment's credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY).
//
// Usage: node jssdk_recognize.js ENDPOINT_URL BOT_ID LOCALE_ID < calls.json
// calls.json and the output are as for boto3_recognize.py.
const { LexRuntimeV2Client, RecognizeTextCommand } = require("@aws-sdk/client-lex-runtime-v2");

async function main() {
  const [endpoint, botId, localeId] = process.argv.slice(2);
  const clients = new Map();
  const clientFor = (c) => {
    const key = `${c.accessKeyId || ""}:${c.secretAccessKey || ""}`;
    if (!clients.has(key)) {
      const options = { endpoint, region: "us-east-1", maxAttempts: 1 };
      if (c.accessKeyId) options.credentials = { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey };
      clients.set(key, new LexRuntimeV2Client(options));
    }
    return clients.get(key);
  };
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const results = [];
  for (const c of JSON.parse(Buffer.concat(chunks).toString("utf8"))) {
    try {
      const response = await clientFor(c).send(new RecognizeTextCommand({
        botId, botAliasId: "TSTALIASID", localeId, sessionId: c.sessionId, text: c.text,
      }));
      delete response.$metadata;
      results.push({ response });
    } catch (e) {
      if (!e.$metadata) throw e;
      results.push({ error: { code: e.name, message: e.message, status: e.$metadata.httpStatusCode } });
    }
  }
  process.stdout.write(JSON.stringify(results));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

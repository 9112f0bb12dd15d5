// Calls RecognizeText with the AWS SDK for JavaScript v3, credentials from
// the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY).
//
// Usage: node jssdk_recognize.js ENDPOINT_URL BOT_ID LOCALE_ID < calls.json
// calls.json and the output are as for boto3_recognize.py.
const { LexRuntimeV2Client, RecognizeTextCommand } = require("@aws-sdk/client-lex-runtime-v2");

async function main() {
  const [endpoint, botId, localeId] = process.argv.slice(2);
  const client = new LexRuntimeV2Client({ endpoint, region: "us-east-1", maxAttempts: 1 });
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const results = [];
  for (const c of JSON.parse(Buffer.concat(chunks).toString("utf8"))) {
    try {
      const response = await client.send(new RecognizeTextCommand({
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

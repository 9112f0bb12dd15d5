// The NLP.js (node-nlp) side of Parley's side-by-side NLU comparison.
//
//   node nlpjs.js --locale en --train train.jsonl --test test.jsonl
//
// It trains one NlpManager on the training file's intents (FallbackIntent
// lines are not training utterances, as in Parley's eval.BotFromExamples),
// parses every test line one after the other, and prints ONE JSON line on
// stdout with its accuracy, train time and parses per second. NLP.js answers
// "None" when its best score is under its threshold (0.5 by default); that is
// its out-of-scope answer and is scored as FallbackIntent. Slots are not
// scored: only the intents are compared. node-nlp is resolved through
// NODE_PATH (the compare driver installs it under bench/out/nlpjs).
'use strict';

const fs = require('fs');
const { NlpManager } = require('node-nlp');

const FALLBACK = 'FallbackIntent';

function parseArgs(argv) {
  const args = { locale: 'en', train: '', test: '' };
  for (let i = 2; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in args) || i + 1 >= argv.length) {
      throw new Error(`nlpjs: unknown or incomplete flag ${argv[i]}`);
    }
    args[key] = argv[i + 1];
  }
  if (!args.train || !args.test) {
    throw new Error('nlpjs: --train and --test are required');
  }
  return args;
}

// readJSONL keeps only what is compared: the text and the intent.
function readJSONL(file) {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((line, i) => [line.trim(), i + 1])
    .filter(([line]) => line !== '')
    .map(([line, n]) => {
      let ex;
      try {
        ex = JSON.parse(line);
      } catch (err) {
        throw new Error(`nlpjs: ${file}:${n}: ${err.message}`);
      }
      if (typeof ex.text !== 'string' || typeof ex.intent !== 'string') {
        throw new Error(`nlpjs: ${file}:${n}: want "text" and "intent" strings`);
      }
      return { text: ex.text, intent: ex.intent };
    });
}

async function main() {
  const args = parseArgs(process.argv);
  const train = readJSONL(args.train);
  const test = readJSONL(args.test);

  // The defaults a user of node-nlp gets, except that nothing is written to
  // disk, training does not log to stdout (which carries the result) and no
  // sentiment is computed per parse (Parley computes none, so it would only
  // slow NLP.js down).
  const manager = new NlpManager({
    languages: [args.locale],
    autoSave: false,
    autoLoad: false,
    nlu: { log: false },
    calculateSentiment: false,
  });

  const t0 = process.hrtime.bigint();
  for (const ex of train) {
    if (ex.intent !== FALLBACK) {
      manager.addDocument(args.locale, ex.text, ex.intent);
    }
  }
  await manager.train();
  const trainSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

  let correct = 0;
  let inScope = 0;
  let inScopeCorrect = 0;
  let oos = 0;
  let oosCaught = 0;
  const t1 = process.hrtime.bigint();
  for (const ex of test) {
    const res = await manager.process(args.locale, ex.text);
    const got = !res.intent || res.intent === 'None' ? FALLBACK : res.intent;
    const ok = got === ex.intent;
    if (ok) correct += 1;
    if (ex.intent === FALLBACK) {
      oos += 1;
      if (ok) oosCaught += 1;
    } else {
      inScope += 1;
      if (ok) inScopeCorrect += 1;
    }
  }
  const parseSeconds = Number(process.hrtime.bigint() - t1) / 1e9;

  const out = {
    engine: 'nlpjs',
    version: require('node-nlp/package.json').version,
    locale: args.locale,
    train: train.length,
    n: test.length,
    accuracy: test.length ? correct / test.length : 0,
    in_scope_accuracy: inScope ? inScopeCorrect / inScope : 0,
    oos_recall: oos ? oosCaught / oos : 0,
    has_oos: oos > 0,
    train_seconds: trainSeconds,
    parses_per_second: parseSeconds > 0 ? test.length / parseSeconds : 0,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err.stack || err}\n`);
  process.exit(1);
});

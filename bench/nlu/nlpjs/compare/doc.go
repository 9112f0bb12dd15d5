// Command compare runs Parley's NLU and NLP.js (node-nlp 4.27.0) side by
// side on the same benchmark splits in one run, as benchmarks.md §8 asks:
// for each split it trains and tests both engines on the same files and
// prints accuracy, train time and parses per second for each, with the
// speed-ups, as a table and as <out>/nlpjs.json. It installs node-nlp from
// npm with the lockfile in bench/nlu/nlpjs (into bench/out/nlpjs, never the
// source tree) and drives bench/nlu/nlpjs/nlpjs.js with Node.
//
//	go run ./bench/nlu/nlpjs/compare -out bench/out/nlu
//
// The splits are those `go run ./bench/nlu/convert` writes under -out.
package main

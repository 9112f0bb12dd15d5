// Package nlubench turns the public NLU benchmarks under ../shared/nlu into
// the labelled JSONL splits of package eval, following the protocol of
// benchmarks.md §8 (seeded k-shot draws, fixed folds), and lays them out as
// <out>/<benchmark>/<setting>/seed<N>/{train,valid,test}.jsonl. The convert
// and run commands below it write and score those splits; the package's
// regression test pins validation-split scores so a drop of more than one
// point fails `make test`.
package nlubench

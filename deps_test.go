package parley_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/parleybot/parley"

// importPolicy lists, for every package of the module (by path relative to
// the module root; "" is the root), the module packages it may import.
// Leaves import the root and nothing else of ours, so any leaf can be
// replaced or left out; only cmd/parley sees everything. A new package must
// be added here, which makes its place in the design a reviewed decision.
var importPolicy = map[string][]string{
	"":                {},
	"botdef":          {""},
	"channel/webchat": {""},
	"dialog":          {""},
	"engine":          {"", "dialog"},
	"lexapi":          {""},
	"lexexport":       {""},
	"nlu":             {"", "nlu/entity"},
	"nlu/entity":      {},
	"store/memory":    {""},
	"store/sqlite":    {"", "store/internal/sessionbody", "store/seal"},
	"store/redis":     {"", "store/internal/sessionbody", "store/seal", "internal/testserver"},
	"store/postgres":  {"", "store/internal/sessionbody", "store/seal", "internal/testserver"},
	"store/dynamodb":  {"", "store/internal/sessionbody", "store/seal", "internal/testserver"},
	// The JSON session body the networked stores share.
	"store/internal/sessionbody": {"", "store/seal"},
	"store/storetest":            {""},
	"bottest":                    {"", "botdef", "engine", "nlu", "store/memory"},
	"convtest":                   {""},
	"convlog":                    {""},
	"cmd/parley":                 {"*"},
	// cli is the wiring behind cmd/parley, importable so Go users can build
	// their own binary with in-process hooks.
	"cli":         {"*"},
	"eval":        {""},
	"kb":          {""},
	"hook/gofunc": {""},
	// Lambda HTTP events (API Gateway, function URLs) to net/http; knows
	// nothing of Parley.
	"lambdahttp": {},
	// Tests of the deployment files against the code they configure.
	"deploy": {"cli", "store/dynamodb"},
	// The NLU benchmark tools run the engine's packages side by side.
	"bench/nlu":               {"*"},
	"bench/nlu/convert":       {"*"},
	"bench/nlu/run":           {"*"},
	"bench/nlu/nlpjs/compare": {"*"},
	"hook/hooktest":           {""},
	"hook/lambda":             {""},
	"hook/process":            {""},
	"hook/webhook":            {""},
	"examples/pizza-go":       {"*"},
	"examples/pizza-go/hooks": {"", "hook/gofunc", "botdef", "engine", "nlu", "store/memory"}, // the last four for its test
	// Messaging channels: the shared kit, its conformance suite, and one
	// connector per platform, each speaking only its platform.
	"channel/connector":   {""},
	"channel/channeltest": {"", "channel/connector"},
	"channel/kakao":       {"", "channel/connector"},
	"channel/messenger":   {"", "channel/connector"},
	"channel/slack":       {"", "channel/connector"},
	"channel/telegram":    {"", "channel/connector"},
	"channel/line":        {"", "channel/connector"},
	"channel/twilio":      {"", "channel/connector"},
	// The channel examples: mains wire everything; their hooks import the
	// root and hook/gofunc, and their tests run the bot through the server
	// and its connectors.
	"examples/music":       {"*"},
	"examples/music/gen":   {"examples/music"}, // writes the Artist slot type from the dataset
	"examples/music/hooks": {"", "hook/gofunc", "botdef", "engine", "nlu", "store/memory", "cli", "channel/connector", "channel/kakao", "channel/webchat"},
	"examples/ops":         {"*"},
	"examples/ops/hooks":   {"", "hook/gofunc", "botdef", "engine", "nlu", "store/memory", "cli", "channel/connector", "channel/slack"},
	// LLM clients and the fake API they are tested against.
	"llm/openai":  {""},
	"llm/llmtest": {""},
	// e2e drives the built binary with real clients; its tests use only
	// the fakes of outside services (llm/llmtest) and the throwaway
	// servers of internal/testserver.
	"e2e": {"internal/testserver"},
	// Starts the throwaway Redis, PostgreSQL and dynalite servers that the
	// store tests and e2e run against (their tests only).
	"internal/testserver": {},
	// Benchmark tools talk to a running server or write files only.
	"bench/clincbot":    {},
	"bench/loadgen":     {},
	"bench/load":        {"bench/load/driver"},
	"bench/load/driver": {},
	// SigV4 verification of incoming requests: standard library only.
	"sigv4": {},
	// Encryption of stored session bodies (keyring, key sources, envelope)
	// and the checks every store runs with it on.
	"store/seal":          {""},
	"store/seal/sealtest": {"", "store/seal", "store/storetest"},
}

func TestImportPolicy(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}|{{join .Imports \" \"}}|{{join .TestImports \" \"}}|{{join .XTestImports \" \"}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		parts := strings.Split(line, "|")
		pkg := relative(parts[0])
		allowed, ok := importPolicy[pkg]
		if !ok {
			t.Errorf("package %q is not in importPolicy (deps_test.go): add it with the packages it may import", pkg)
			continue
		}
		if slices.Contains(allowed, "*") {
			continue
		}
		check := func(imports string, inTest bool) {
			for _, imp := range strings.Fields(imports) {
				if imp != module && !strings.HasPrefix(imp, module+"/") {
					continue
				}
				dep := relative(imp)
				if dep == pkg || slices.Contains(allowed, dep) {
					continue
				}
				// Tests may also use the conformance suites and the package's
				// own subpackages.
				if inTest && (strings.HasSuffix(dep, "test") || strings.HasPrefix(dep, pkg+"/")) {
					continue
				}
				t.Errorf("%s imports %s, which importPolicy does not allow", display(pkg), display(dep))
			}
		}
		check(parts[1], false)
		check(parts[2], true)
		check(parts[3], true)
	}
}

func relative(importPath string) string {
	return strings.TrimPrefix(strings.TrimPrefix(importPath, module), "/")
}

func display(pkg string) string {
	if pkg == "" {
		return "the root package"
	}
	return pkg
}

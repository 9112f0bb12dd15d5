package hooktest_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/parleybot/parley/hook/hooktest"
)

// The scripts' drivers feed one event per stdin line to the handler and
// answer one line {"result": …} or {"error": "…"}; the handler's own output
// goes to stderr, as a runner would route it to the log.
const (
	pythonDriver = `
import contextlib, importlib.util, json, sys
spec = importlib.util.spec_from_file_location("scenarios", sys.argv[1])
m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m)
for line in sys.stdin:
    try:
        with contextlib.redirect_stdout(sys.stderr):
            out = {"result": m.lambda_handler(json.loads(line), None)}
    except Exception as e:
        out = {"error": str(e)}
    print(json.dumps(out, ensure_ascii=False), flush=True)
`
	nodeDriver = `
const m = require(process.argv[1]);
console.log = (...args) => process.stderr.write(args.join(' ') + '\n');
const lines = require('readline').createInterface({ input: process.stdin });
(async () => {
  for await (const line of lines) {
    let out;
    try { out = { result: await m.handler(JSON.parse(line), {}) }; } catch (e) { out = { error: e.message }; }
    process.stdout.write(JSON.stringify(out) + '\n');
  }
})();
`
)

// scripts lists the script implementations of the scenarios and how to run
// them.
var scripts = []struct {
	name, interpreter, file string
	args                    func(file string) []string
}{
	{"python", "python3", "scenarios.py", func(f string) []string { return []string{"-c", pythonDriver, f} }},
	{"node", "node", "scenarios.js", func(f string) []string { return []string{"-e", nodeDriver, f} }},
}

// TestScriptsAgreeWithRespond checks that scenarios.py and scenarios.js
// answer what the Go reference answers, so the suite means the same over
// every transport. The timeout scenario is left out: it only sleeps.
func TestScriptsAgreeWithRespond(t *testing.T) {
	same := []string{"close", "elicit_slot", "confirm_intent", "delegate", "elicit_intent", "session_attributes",
		"session_attributes_clear", "active_contexts", "echo", "oversize", "bad_shape"}
	for _, s := range scripts {
		t.Run(s.name, func(t *testing.T) {
			file := lookScript(t, s.interpreter, s.file)
			scenarios := append(same, "throw", "not_json")
			answers, logged := runScript(t, s.interpreter, s.args(file), scenarios)
			for i, scenario := range scenarios {
				t.Run(scenario, func(t *testing.T) {
					if !strings.Contains(logged, "hooktest scenario "+scenario+"\n") {
						t.Errorf("the handler did not log the scenario; its output was:\n%s", logged)
					}
					got := answers[i]
					switch scenario {
					case "throw":
						if got.Error != "hooktest: thrown on purpose" {
							t.Errorf("threw %q, result %s; want the error \"hooktest: thrown on purpose\"", got.Error, got.Result)
						}
						return
					case "not_json":
						if string(got.Result) != `"not json"` {
							t.Errorf("answered %s (error %q), want the JSON string \"not json\"", got.Result, got.Error)
						}
						return
					}
					if got.Error != "" {
						t.Fatalf("threw %q", got.Error)
					}
					want, err := hooktest.Respond(t.Context(), hooktest.Event(scenario))
					if err != nil {
						t.Fatal(err)
					}
					g, w := generic(t, got.Result), generic(t, want)
					if scenario == "echo" {
						// The event's encoding differs byte for byte; what it
						// says must not.
						ge, we := echoed(t, g), echoed(t, w)
						if !reflect.DeepEqual(ge, we) {
							t.Errorf("echoed event\n got %v\nwant %v", ge, we)
						}
					}
					if !reflect.DeepEqual(g, w) {
						t.Errorf("answer\n got %v\nwant %v", g, w)
					}
				})
			}
		})
	}
}

// TestScriptsCrash checks that the crash scenario ends the process with
// status 3, as the runners expect of a crashed function.
func TestScriptsCrash(t *testing.T) {
	for _, s := range scripts {
		t.Run(s.name, func(t *testing.T) {
			file := lookScript(t, s.interpreter, s.file)
			cmd := exec.CommandContext(t.Context(), s.interpreter, s.args(file)...)
			cmd.Stdin = bytes.NewReader(append(eventLine(t, "crash"), eventLine(t, "close")...))
			out, err := cmd.Output()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 3 {
				t.Fatalf("ended with %v, want exit status 3", err)
			}
			if len(out) != 0 {
				t.Errorf("answered %q before crashing", out)
			}
		})
	}
}

type answer struct {
	Result json.RawMessage `json:"result"`
	Error  string          `json:"error"`
}

// lookScript returns the script's path, skipping the test when its
// interpreter is missing outside CI.
func lookScript(t *testing.T, interpreter, file string) string {
	t.Helper()
	if _, err := exec.LookPath(interpreter); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required under CI: %v", interpreter, err)
		}
		t.Skipf("%s not installed: %v", interpreter, err)
	}
	path, err := filepath.Abs(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	return path
}

// runScript runs the driver over the scenarios' events and returns the
// answers in order, and what the handler logged.
func runScript(t *testing.T, interpreter string, args, scenarios []string) ([]answer, string) {
	t.Helper()
	var in bytes.Buffer
	for _, s := range scenarios {
		in.Write(eventLine(t, s))
	}
	var stderr bytes.Buffer
	cmd := exec.CommandContext(t.Context(), interpreter, args...)
	cmd.Stdin = &in
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", interpreter, err, stderr.String())
	}
	var answers []answer
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var a answer
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("driver line %q: %v", sc.Text(), err)
		}
		answers = append(answers, a)
	}
	if len(answers) != len(scenarios) {
		t.Fatalf("got %d answers for %d events; stderr:\n%s", len(answers), len(scenarios), stderr.String())
	}
	return answers, stderr.String()
}

func eventLine(t *testing.T, scenario string) []byte {
	t.Helper()
	line, err := json.Marshal(hooktest.Event(scenario))
	if err != nil {
		t.Fatal(err)
	}
	return append(line, '\n')
}

func generic(t *testing.T, body []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	return v
}

// echoed decodes the echo scenario's event in place of its encoding and
// returns it.
func echoed(t *testing.T, resp any) any {
	t.Helper()
	msg := resp.(map[string]any)["messages"].([]any)[0].(map[string]any)
	ev := generic(t, []byte(msg["content"].(string)))
	msg["content"] = ev
	return ev
}

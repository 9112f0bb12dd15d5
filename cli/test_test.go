package cli_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/parleybot/parley/cli"
	opshooks "github.com/parleybot/parley/examples/ops/hooks"
	"github.com/parleybot/parley/hook/gofunc"
)

// Perkins (examples/ops) runs against fixedEC2: its hooks are the real
// ones, only the EC2 API is stood in for.
func init() {
	gofunc.Register(opshooks.Name, opshooks.Router(fixedEC2{}, slog.New(slog.DiscardHandler)))
}

// fixedEC2 is an EC2 account whose instances never change: start and stop
// report the transition without making it, so conversations running in
// parallel see the same account.
type fixedEC2 struct{}

var _ opshooks.EC2 = fixedEC2{}

var fixedInstances = []struct{ id, name, state string }{
	{"i-0a1b2c3d4e5f60001", "web", "running"},
	{"i-0a1b2c3d4e5f60002", "batch", "stopped"},
}

func (fixedEC2) DescribeInstances(context.Context, *ec2.DescribeInstancesInput, ...func(*ec2.Options)) (*ec2.DescribeInstancesOutput, error) {
	var r types.Reservation
	for _, in := range fixedInstances {
		r.Instances = append(r.Instances, types.Instance{
			InstanceId: aws.String(in.id),
			State:      &types.InstanceState{Name: types.InstanceStateName(in.state)},
			Tags:       []types.Tag{{Key: aws.String("Name"), Value: aws.String(in.name)}},
		})
	}
	return &ec2.DescribeInstancesOutput{Reservations: []types.Reservation{r}}, nil
}

func (fixedEC2) StartInstances(_ context.Context, in *ec2.StartInstancesInput, _ ...func(*ec2.Options)) (*ec2.StartInstancesOutput, error) {
	return &ec2.StartInstancesOutput{StartingInstances: transition(in.InstanceIds, "stopped", "pending")}, nil
}

func (fixedEC2) StopInstances(_ context.Context, in *ec2.StopInstancesInput, _ ...func(*ec2.Options)) (*ec2.StopInstancesOutput, error) {
	return &ec2.StopInstancesOutput{StoppingInstances: transition(in.InstanceIds, "running", "stopping")}, nil
}

func transition(ids []string, from, to string) []types.InstanceStateChange {
	var out []types.InstanceStateChange
	for _, id := range ids {
		out = append(out, types.InstanceStateChange{
			InstanceId:    aws.String(id),
			PreviousState: &types.InstanceState{Name: types.InstanceStateName(from)},
			CurrentState:  &types.InstanceState{Name: types.InstanceStateName(to)},
		})
	}
	return out
}

// exampleEnv is the environment the examples' tests run in: dummy channel
// secrets (the tests load no channel, but a bot file may name them), and
// no language model, so the assistant answers from its knowledge base.
func exampleEnv(key string) (string, bool) {
	v, ok := map[string]string{
		"MUSIC_KAKAO_SKILL_KEY":    "test-skill-key",
		"OPS_SLACK_SIGNING_SECRET": "test-signing-secret",
		"OPS_SLACK_BOT_TOKEN":      "xoxb-test",
		"OPS_SLACK_ALLOW_CHANNELS": "C0TEST",
		"OPS_SLACK_ALLOW_USERS":    "U0TEST",
		"PATH":                     os.Getenv("PATH"),
		"HOME":                     os.Getenv("HOME"),
	}[key]
	return v, ok
}

// junitDoc is JUnit XML as CI servers read it, decoded strictly enough to
// check its shape.
type junitDoc struct {
	XMLName  xml.Name `xml:"testsuites"`
	Name     string   `xml:"name,attr"`
	Tests    string   `xml:"tests,attr"`
	Failures string   `xml:"failures,attr"`
	Errors   string   `xml:"errors,attr"`
	Time     string   `xml:"time,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    string `xml:"tests,attr"`
		Failures string `xml:"failures,attr"`
		Errors   string `xml:"errors,attr"`
		Time     string `xml:"time,attr"`
		Cases    []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			Time      string `xml:"time,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Error *struct {
				Message string `xml:"message,attr"`
			} `xml:"error"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// checkJUnit decodes a JUnit file, checks that every count and time is
// consistent with the elements it holds, and returns the document.
func checkJUnit(t *testing.T, path string) junitDoc {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Well-formed: the generic decoder reads every token to the end.
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		if _, err := dec.Token(); err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("JUnit XML is not well-formed: %v\n%s", err, data)
			}
			break
		}
	}
	var doc junitDoc
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("decode JUnit XML: %v", err)
	}
	count := func(what, s string) int {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			t.Errorf("%s = %q, want a count", what, s)
		}
		return n
	}
	seconds := func(what, s string) {
		if f, err := strconv.ParseFloat(s, 64); err != nil || f < 0 {
			t.Errorf("%s = %q, want seconds", what, s)
		}
	}
	seconds("testsuites time", doc.Time)
	tests, failures, errs := 0, 0, 0
	for _, s := range doc.Suites {
		seconds("testsuite time", s.Time)
		if s.Name == "" {
			t.Error("a testsuite has no name")
		}
		f, e := 0, 0
		for _, c := range s.Cases {
			if c.Name == "" || c.Classname == "" {
				t.Errorf("testcase %+v: name and classname are required", c)
			}
			seconds("testcase time", c.Time)
			if c.Failure != nil {
				f++
			}
			if c.Error != nil {
				e++
			}
		}
		if count("testsuite tests", s.Tests) != len(s.Cases) || count("testsuite failures", s.Failures) != f || count("testsuite errors", s.Errors) != e {
			t.Errorf("testsuite %s counts tests=%s failures=%s errors=%s, holds %d cases, %d failures, %d errors", s.Name, s.Tests, s.Failures, s.Errors, len(s.Cases), f, e)
		}
		tests += len(s.Cases)
		failures += f
		errs += e
	}
	if count("tests", doc.Tests) != tests || count("failures", doc.Failures) != failures || count("errors", doc.Errors) != errs {
		t.Errorf("testsuites counts tests=%s failures=%s errors=%s, holds %d, %d, %d", doc.Tests, doc.Failures, doc.Errors, tests, failures, errs)
	}
	// Round trip: what was decoded encodes and decodes to the same.
	again, err := xml.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var doc2 junitDoc
	if err := xml.Unmarshal(again, &doc2); err != nil {
		t.Fatalf("decode re-encoded JUnit XML: %v", err)
	}
	if a, b := strings.TrimSpace(string(again)), mustMarshal(t, doc2); a != b {
		t.Errorf("JUnit XML round trip differs:\n%s\n%s", a, b)
	}
	return doc
}

func mustMarshal(t *testing.T, v any) string {
	t.Helper()
	out, err := xml.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestTestExamples runs every example's conversation tests the way CI
// would: parley test BOT --junit FILE, exit status 0, well-formed JUnit.
func TestTestExamples(t *testing.T) {
	tests := []struct {
		name, bot     string
		conversations int
	}{
		{"hello", "../examples/hello", 3},
		{"pizza", "../examples/pizza", 7},
		{"music", "../examples/music", 2},
		{"ops", "../examples/ops/bot", 3},
		{"assistant", "../examples/assistant", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			junit := filepath.Join(t.TempDir(), "junit.xml")
			var stdout, stderr bytes.Buffer
			code := cli.Main([]string{"test", tt.bot, "--junit", junit}, strings.NewReader(""), &stdout, &stderr, exampleEnv)
			if code != 0 {
				t.Fatalf("parley test %s: exit %d\n%s%s", tt.bot, code, stdout.String(), stderr.String())
			}
			want := strconv.Itoa(tt.conversations) + " conversations, " + strconv.Itoa(tt.conversations) + " passed, 0 failed"
			if !strings.Contains(stdout.String(), want) {
				t.Errorf("output lacks %q:\n%s", want, stdout.String())
			}
			doc := checkJUnit(t, junit)
			if doc.Tests != strconv.Itoa(tt.conversations) || doc.Failures != "0" || doc.Errors != "0" {
				t.Errorf("JUnit counts tests=%s failures=%s errors=%s, want %d, 0, 0", doc.Tests, doc.Failures, doc.Errors, tt.conversations)
			}
		})
	}
}

// TestTestPizzaGo runs examples/pizza-go's tests with its own binary, the
// way its README says: its Go hooks register as go:pizza when imported,
// which this test program must not do (other tests check that go:pizza is
// unknown here).
func TestTestPizzaGo(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "pizza-go")
	if out, err := exec.Command("go", "build", "-o", bin, "../examples/pizza-go").CombinedOutput(); err != nil {
		t.Fatalf("go build examples/pizza-go: %v\n%s", err, out)
	}
	junit := filepath.Join(dir, "junit.xml")
	cmd := exec.Command(bin, "test", "../examples/pizza-go/bot", "--junit", junit)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("pizza-go test: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "2 conversations, 2 passed, 0 failed") {
		t.Errorf("output:\n%s\nwant 2 conversations passed", out)
	}
	if doc := checkJUnit(t, junit); doc.Tests != "2" || doc.Failures != "0" {
		t.Errorf("JUnit counts tests=%s failures=%s, want 2, 0", doc.Tests, doc.Failures)
	}
}

func TestTestCommand(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	badYAML := write("bad.yaml", "turns: [{user: hi, expect: {intnet: X}}]\n")
	csvSet := write("set.csv", "Line #,Conversation #,Source,Input,Expected Output Intent,Expected Output Slot 1\n"+
		"1,,User,안녕,HelloIntent,\n"+
		"2,1,User,저는 김민수입니다,HelloIntent,Name = 김민수\n"+
		"3,1,Agent,김민수님이 맞으세요?,,\n"+
		"4,1,User,아니요,HelloIntent,\n"+
		"5,1,Agent,다시 시작하려면,,\n")
	tests := []struct {
		name     string
		args     []string
		wantCode int
		want     []string // in stdout
		wantErr  string   // in stderr
		failures string   // JUnit failures, when --junit is added
	}{
		{
			name: "no-hooks is honoured", args: []string{"../examples/hello", "../examples/hello/tests/hook.yaml", "--no-hooks"}, wantCode: 1,
			want:     []string{"FAIL ../examples/hello/tests/hook.yaml", "turn 2 (line 12), user: \"John\"", "dialogAction:  expected ElicitSlot\n", "got ConfirmIntent\n", "1 conversation, 0 passed, 1 failed"},
			failures: "1",
		},
		{
			name: "a Test Workbench CSV", args: []string{"../examples/hello", csvSet, "--no-hooks"},
			want:     []string{"ok   " + csvSet + ": line 1", "ok   " + csvSet + ": conversation 1", "2 conversations, 2 passed"},
			failures: "0",
		},
		{name: "another bot's test", args: []string{"../examples/hello", "../examples/pizza/tests/order.yaml"}, wantCode: 1, wantErr: "written for bot PIZZABOT01, but ../examples/hello is bot HELLOBOT01"},
		{name: "a bad test file", args: []string{"../examples/hello", badYAML}, wantCode: 1, wantErr: `unknown field "intnet"`},
		{name: "a missing test file", args: []string{"../examples/hello", filepath.Join(dir, "nope.yaml")}, wantCode: 1, wantErr: "nope.yaml"},
		{name: "no tests folder", args: []string{"../examples/pizza-go/hooks"}, wantCode: 1, wantErr: "no test files in ../examples/pizza-go/hooks/tests"},
		{name: "record takes no files", args: []string{"../examples/hello", badYAML, "--record", filepath.Join(dir, "r.yaml")}, wantCode: 1, wantErr: "--record takes no test FILEs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"test"}, tt.args...)
			junit := filepath.Join(t.TempDir(), "junit.xml")
			if tt.failures != "" {
				args = append(args, "--junit", junit)
			}
			var stdout, stderr bytes.Buffer
			code := cli.Main(args, strings.NewReader(""), &stdout, &stderr, exampleEnv)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d\n%s%s", code, tt.wantCode, stdout.String(), stderr.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout.String())
				}
			}
			if !strings.Contains(stderr.String(), tt.wantErr) {
				t.Errorf("stderr lacks %q:\n%s", tt.wantErr, stderr.String())
			}
			if tt.failures != "" {
				if doc := checkJUnit(t, junit); doc.Failures != tt.failures {
					t.Errorf("JUnit failures = %s, want %s", doc.Failures, tt.failures)
				}
			}
		})
	}
}

// TestTestRecord records a piped chat and plays the file back: the
// recording passes against the bot that made it.
func TestTestRecord(t *testing.T) {
	path := filepath.Join(t.TempDir(), "greet.yaml")
	var stdout, stderr bytes.Buffer
	code := cli.Main([]string{"test", "../examples/hello", "--no-hooks", "--record", path}, strings.NewReader("안녕\n\n홍길동\n네\n"), &stdout, &stderr, exampleEnv)
	if code != 0 {
		t.Fatalf("record: exit %d\n%s", code, stderr.String())
	}
	if want := "이름이 뭐예요?\n\n홍길동님이 맞으세요?\n[확인해 주세요] 1) 네 2) 아니요\n\n반가워요, 홍길동님! 좋은 하루 보내세요.\n\n"; stdout.String() != want {
		t.Errorf("replies:\n%s\nwant:\n%s", stdout.String(), want)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"name: greet\n", "bot: HELLOBOT01\n", "locale: ko_KR\n", "- user: 홍길동\n", "dialogAction: ConfirmIntent\n", "Name: null\n", "state: Fulfilled\n"} {
		if !strings.Contains(string(data), w) {
			t.Errorf("recorded file lacks %q:\n%s", w, data)
		}
	}
	stdout.Reset()
	if code := cli.Main([]string{"test", "../examples/hello", path, "--no-hooks"}, strings.NewReader(""), &stdout, &stderr, exampleEnv); code != 0 {
		t.Fatalf("the recording does not pass: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}

	stderr.Reset()
	if code := cli.Main([]string{"test", "../examples/hello", "--no-hooks", "--record", path}, strings.NewReader("\n"), &stdout, &stderr, exampleEnv); code != 1 || !strings.Contains(stderr.String(), "no turns") {
		t.Errorf("recording nothing: exit %d, %s; want 1 and a message", code, stderr.String())
	}
}

// helloLog is a Lex V2 text conversation log of two HelloWorld sessions,
// interleaved as CloudWatch stores them.
const helloLog = `{"message-version":"2.0","bot":{"id":"HELLOBOT01","localeId":"ko_KR"},"sessionId":"s-1","inputTranscript":"안녕","messages":[{"contentType":"PlainText","content":"이름이 뭐예요?"}],"sessionState":{"dialogAction":{"type":"ElicitSlot","slotToElicit":"Name"},"intent":{"name":"HelloIntent","slots":{"Name":null},"state":"InProgress","confirmationState":"None"}}}
{"message-version":"2.0","bot":{"id":"HELLOBOT01","localeId":"ko_KR"},"sessionId":"s/2","inputTranscript":"저는 김민수입니다","messages":[{"contentType":"PlainText","content":"김민수님이 맞으세요?"},{"contentType":"ImageResponseCard","imageResponseCard":{"title":"확인해 주세요","buttons":[{"text":"네","value":"네"},{"text":"아니요","value":"아니요"}]}}],"sessionState":{"dialogAction":{"type":"ConfirmIntent"},"intent":{"name":"HelloIntent","slots":{"Name":{"shape":"Scalar","value":{"originalValue":"김민수","interpretedValue":"김민수","resolvedValues":[]}}},"state":"InProgress","confirmationState":"None"}}}

{"message-version":"2.0","bot":{"id":"HELLOBOT01","localeId":"ko_KR"},"sessionId":"s-1","inputTranscript":"홍길동","messages":[{"contentType":"PlainText","content":"홍길동님이 맞으세요?"},{"contentType":"ImageResponseCard","imageResponseCard":{"title":"확인해 주세요","buttons":[{"text":"네","value":"네"},{"text":"아니요","value":"아니요"}]}}],"sessionState":{"dialogAction":{"type":"ConfirmIntent"},"intent":{"name":"HelloIntent","slots":{"Name":{"shape":"Scalar","value":{"originalValue":"홍길동","interpretedValue":"홍길동","resolvedValues":[]}}},"state":"InProgress","confirmationState":"None"}}}
`

// TestTestRecordFromLog turns conversation logs into a test file per
// session, and the files pass against the bot.
func TestTestRecordFromLog(t *testing.T) {
	dir := t.TempDir()
	logPath := filepath.Join(dir, "log.jsonl")
	if err := os.WriteFile(logPath, []byte(helloLog), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	out := filepath.Join(dir, "hello.yaml")
	if code := cli.Main([]string{"test", "../examples/hello", "--record", out, "--from-log", logPath}, strings.NewReader(""), &stdout, &stderr, exampleEnv); code != 0 {
		t.Fatalf("record from log: exit %d\n%s", code, stderr.String())
	}
	files := []string{filepath.Join(dir, "hello-s-1.yaml"), filepath.Join(dir, "hello-s_2.yaml")}
	for _, f := range files {
		if !strings.Contains(stderr.String(), f) {
			t.Errorf("stderr does not name %s:\n%s", f, stderr.String())
		}
	}
	stdout.Reset()
	args := append([]string{"test", "../examples/hello", "--no-hooks"}, files...)
	if code := cli.Main(args, strings.NewReader(""), &stdout, &stderr, exampleEnv); code != 0 {
		t.Fatalf("the tests from the log do not pass: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "2 conversations, 2 passed") {
		t.Errorf("output:\n%s", stdout.String())
	}

	stderr.Reset()
	if code := cli.Main([]string{"test", "../examples/hello", "--from-log", logPath}, strings.NewReader(""), &stdout, &stderr, exampleEnv); code != 1 || !strings.Contains(stderr.String(), "--from-log needs --record") {
		t.Errorf("--from-log alone: exit %d, %s", code, stderr.String())
	}
}

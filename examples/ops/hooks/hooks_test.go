package hooks_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/botdef"
	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/examples/ops/hooks"
	"github.com/parleybot/parley/nlu"
	"github.com/parleybot/parley/store/memory"
)

// The fake account: two named servers, one without a Name tag, one
// terminated (never listed) and two that share a name.
const (
	webID    = "i-0a1b2c3d4e5f60001"
	dbID     = "i-0a1b2c3d4e5f60002"
	bareID   = "i-0a1b2c3d4e5f60003"
	goneID   = "i-0a1b2c3d4e5f60004"
	batch1ID = "i-0a1b2c3d4e5f60005"
	batch2ID = "i-0a1b2c3d4e5f60006"
)

func account() []fakeInstance {
	return []fakeInstance{
		{ID: webID, Name: "web-1", State: "running"},
		{ID: dbID, Name: "db-1", State: "stopped"},
		{ID: bareID, State: "stopped"},
		{ID: goneID, Name: "old-web", State: "terminated"},
		{ID: batch1ID, Name: "batch-worker", State: "running"},
		{ID: batch2ID, Name: "batch-worker", State: "stopped"},
	}
}

// The Slack binding's secrets and allow-lists, as the bot file reads them
// from the environment.
const (
	slackSecret  = "ops-test-signing-secret"
	slackToken   = "xoxb-ops-test-token"
	opsChannel   = "C0OPS00001"
	otherChannel = "C0RANDOM01"
	alice        = "U0ALICE001"
	bob          = "U0BOB00001"
	mallory      = "U0MALLORY1"
)

// testEnv is the environment the bot file is loaded with; extra adds to
// it.
func testEnv(extra map[string]string) func(string) (string, bool) {
	env := map[string]string{
		"OPS_SLACK_SIGNING_SECRET": slackSecret,
		"OPS_SLACK_BOT_TOKEN":      slackToken,
		"OPS_SLACK_ALLOW_CHANNELS": opsChannel,
		"OPS_SLACK_ALLOW_USERS":    alice + "," + bob,
	}
	for k, v := range extra {
		env[k] = v
	}
	return func(key string) (string, bool) {
		v, ok := env[key]
		return v, ok
	}
}

// describe is the DescribeInstances call the hooks make.
const describe = "DescribeInstances"

// newEngine serves examples/ops/bot with Perkins's router on client, as
// main.go registers it for the bot's go:perkins binding.
func newEngine(t *testing.T, client hooks.EC2) (*engine.Engine, *parley.Bot) {
	t.Helper()
	bot, err := botdef.LoadWith("../bot", botdef.Options{LookupEnv: testEnv(nil)})
	if err != nil {
		t.Fatalf("load bot: %v", err)
	}
	for _, locale := range []string{"en_US", "ko_KR"} {
		if b := bot.CodeHookBinding(parley.DraftAliasID, locale); b == nil || b.URI != "go:"+hooks.Name {
			t.Fatalf("%s binding %+v, want go:%s", locale, b, hooks.Name)
		}
	}
	hook := hooks.Router(client, slog.New(slog.NewTextHandler(io.Discard, nil)))
	store := memory.New(memory.Options{Now: time.Now})
	t.Cleanup(func() { store.Close() })
	eng, err := engine.New(engine.Options{
		Store:    store,
		Trainer:  nlu.New(),
		CodeHook: func(string, string, string) parley.CodeHook { return hook },
	}, bot)
	if err != nil {
		t.Fatalf("engine: %v", err)
	}
	return eng, bot
}

// turn is one user input, what the bot must answer (its plain-text
// messages joined by " | ") and the EC2 calls it must make.
type turn struct {
	say   string
	want  string
	calls []string
}

func converse(t *testing.T, eng *engine.Engine, fake *fakeEC2, key parley.SessionKey, turns []turn) *parley.TurnResult {
	t.Helper()
	var res *parley.TurnResult
	for _, tt := range turns {
		var err error
		res, err = eng.RecognizeText(context.Background(), &parley.TurnRequest{Key: key, Text: tt.say})
		if err != nil {
			t.Fatalf("%q: %v", tt.say, err)
		}
		if got := plainText(res.Messages); got != tt.want {
			t.Fatalf("%q: bot said %q, want %q", tt.say, got, tt.want)
		}
		if got := fake.takeCalls(); !slices.Equal(got, tt.calls) {
			t.Fatalf("%q: EC2 calls %q, want %q", tt.say, got, tt.calls)
		}
	}
	return res
}

func plainText(msgs []parley.Message) string {
	var got []string
	for _, m := range msgs {
		if m.ContentType == parley.ContentPlainText {
			got = append(got, m.Content)
		}
	}
	return strings.Join(got, " | ")
}

const (
	listEN = "You have 5 servers:" +
		"\n• batch-worker (" + batch1ID + "): running" +
		"\n• batch-worker (" + batch2ID + "): stopped" +
		"\n• db-1 (" + dbID + "): stopped" +
		"\n• " + bareID + " (" + bareID + "): stopped" +
		"\n• web-1 (" + webID + "): running"
	listKO = "서버가 5대 있어요:" +
		"\n• batch-worker (" + batch1ID + "): 실행 중" +
		"\n• batch-worker (" + batch2ID + "): 중지됨" +
		"\n• db-1 (" + dbID + "): 중지됨" +
		"\n• " + bareID + " (" + bareID + "): 중지됨" +
		"\n• web-1 (" + webID + "): 실행 중"
	knownEN = "Your servers: batch-worker, batch-worker, db-1, " + bareID + ", web-1."
	knownKO = "있는 서버: batch-worker, batch-worker, db-1, " + bareID + ", web-1."
)

func TestConversation(t *testing.T) {
	tests := []struct {
		name   string
		locale string
		turns  []turn
		// states are the instances' states after the conversation.
		states map[string]string
	}{
		{
			name:   "list, start, stop confirmed",
			locale: "en_US",
			turns: []turn{
				{"list my servers", listEN, []string{describe}},
				{"start db-1", "Starting db-1 (" + dbID + "): stopped → pending.", []string{describe, "StartInstances " + dbID}},
				{"stop web-1", "Stop web-1 (" + webID + ")? Anything running on it goes down. Yes or no?", []string{describe}},
				{"yes", "Stopping web-1 (" + webID + "): running → stopping.", []string{"StopInstances " + webID}},
			},
			states: map[string]string{dbID: "running", webID: "stopped"},
		},
		{
			name:   "stop declined",
			locale: "en_US",
			turns: []turn{
				{"stop web-1", "Stop web-1 (" + webID + ")? Anything running on it goes down. Yes or no?", []string{describe}},
				{"no", "OK, I left web-1 alone.", nil},
			},
			states: map[string]string{webID: "running"},
		},
		{
			name:   "unknown server is asked again",
			locale: "en_US",
			turns: []turn{
				{"stop a server", "Which server should I stop?", nil},
				{"mail-3", "I can't find a server called mail-3. " + knownEN + " Which one?", []string{describe}},
				{"web-1", "Stop web-1 (" + webID + ")? Anything running on it goes down. Yes or no?", []string{describe}},
				{"yes", "Stopping web-1 (" + webID + "): running → stopping.", []string{"StopInstances " + webID}},
			},
			states: map[string]string{webID: "stopped"},
		},
		{
			name:   "instance id, and an ambiguous name",
			locale: "en_US",
			turns: []turn{
				{"start batch-worker", "2 servers are called batch-worker: " + batch1ID + ", " + batch2ID + ". Which one? Tell me its instance id.", []string{describe}},
				{batch2ID, "Starting batch-worker (" + batch2ID + "): stopped → pending.", []string{describe, "StartInstances " + batch2ID}},
				{"stop instance " + bareID, "Stop " + bareID + " (" + bareID + ")? Anything running on it goes down. Yes or no?", []string{describe}},
				{"no", "OK, I left " + bareID + " alone.", nil},
			},
			states: map[string]string{batch2ID: "running", bareID: "stopped"},
		},
		{
			name:   "terminated instances do not exist",
			locale: "en_US",
			turns: []turn{
				{"start old-web", "I can't find a server called old-web. " + knownEN + " Which one?", []string{describe}},
			},
			states: map[string]string{goneID: "terminated"},
		},
		{
			name:   "names the NLU reads in parts, and ids it does not read",
			locale: "en_US",
			turns: []turn{
				{"stop prod-db-02", "I can't find a server called prod-db-02. " + knownEN + " Which one?", []string{describe}},
				{"never mind, start " + dbID, "Starting db-1 (" + dbID + "): stopped → pending.", []string{describe, "StartInstances " + dbID}},
				{"stop i-0123456789abcdef0", "I can't find a server called i-0123456789abcdef0. " + knownEN + " Which one?", []string{describe}},
			},
			states: map[string]string{dbID: "running"},
		},
		{
			name:   "Korean: list, start, stop confirmed",
			locale: "ko_KR",
			turns: []turn{
				{"서버 목록 보여줘", listKO, []string{describe}},
				{"db-1 서버 시작해줘", "db-1(" + dbID + ") 서버를 시작합니다: 중지됨 → 시작 중.", []string{describe, "StartInstances " + dbID}},
				{"web-1 서버 꺼줘", "web-1(" + webID + ") 서버를 중지할까요? 실행 중인 작업이 모두 멈춥니다. 네 또는 아니요로 답해 주세요.", []string{describe}},
				{"네", "web-1(" + webID + ") 서버를 중지합니다: 실행 중 → 중지 중.", []string{"StopInstances " + webID}},
			},
			states: map[string]string{dbID: "running", webID: "stopped"},
		},
		{
			name:   "Korean: stop declined",
			locale: "ko_KR",
			turns: []turn{
				{"web-1 중지해줘", "web-1(" + webID + ") 서버를 중지할까요? 실행 중인 작업이 모두 멈춥니다. 네 또는 아니요로 답해 주세요.", []string{describe}},
				{"아니요", "알겠어요. web-1 서버는 그대로 둘게요.", nil},
			},
			states: map[string]string{webID: "running"},
		},
		{
			name:   "Korean: unknown server is asked again",
			locale: "ko_KR",
			turns: []turn{
				{"서버 꺼줘", "어떤 서버를 중지할까요?", nil},
				{"mail-3", "mail-3 서버를 찾을 수 없어요. " + knownKO + " 어떤 서버인가요?", []string{describe}},
				{"web-1", "web-1(" + webID + ") 서버를 중지할까요? 실행 중인 작업이 모두 멈춥니다. 네 또는 아니요로 답해 주세요.", []string{describe}},
				{"아니요", "알겠어요. web-1 서버는 그대로 둘게요.", nil},
			},
			states: map[string]string{webID: "running"},
		},
		{
			name:   "Korean: a name with a particle, and an instance id",
			locale: "ko_KR",
			turns: []turn{
				{"prod-db-02 중지해줘", "prod-db-02 서버를 찾을 수 없어요. " + knownKO + " 어떤 서버인가요?", []string{describe}},
				{batch1ID + "요", "batch-worker(" + batch1ID + ") 서버를 중지할까요? 실행 중인 작업이 모두 멈춥니다. 네 또는 아니요로 답해 주세요.", []string{describe}},
				{"네", "batch-worker(" + batch1ID + ") 서버를 중지합니다: 실행 중 → 중지 중.", []string{"StopInstances " + batch1ID}},
			},
			states: map[string]string{batch1ID: "stopped", batch2ID: "stopped"},
		},
		{
			name:   "Korean: fallback",
			locale: "ko_KR",
			turns: []turn{
				{"오늘 점심 뭐 먹지", "죄송해요, 잘 모르겠어요. 서버 목록을 보여 드리거나 서버를 시작하고 중지할 수 있어요. \"서버 목록 보여줘\"라고 말해 보세요.", nil},
			},
		},
		{
			name:   "fallback",
			locale: "en_US",
			turns: []turn{
				{"what's the weather in Paris", "Sorry, I didn't get that. I can list your servers, or start or stop one: try \"list my servers\".", nil},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFakeEC2(t, account()...)
			eng, bot := newEngine(t, fake.client())
			key := parley.SessionKey{BotID: bot.ID, AliasID: parley.DraftAliasID, LocaleID: tt.locale, SessionID: "ops-test"}
			converse(t, eng, fake, key, tt.turns)
			for id, want := range tt.states {
				if got := fake.state(id); got != want {
					t.Errorf("%s is %s, want %s", id, got, want)
				}
			}
		})
	}
}

func TestEC2Failure(t *testing.T) {
	noCredentials := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{}, errors.New("no credentials in the environment")
	})
	tests := []struct {
		name   string
		locale string
		deny   map[string]bool
		creds  aws.CredentialsProvider // the test key when nil
		turns  []turn
	}{
		{
			name:   "listing",
			locale: "en_US",
			deny:   map[string]bool{describe: true},
			turns:  []turn{{"list my servers", "I couldn't list the servers (EC2 said UnauthorizedOperation).", []string{describe}}},
		},
		{
			name:   "validation",
			locale: "ko_KR",
			deny:   map[string]bool{describe: true},
			turns:  []turn{{"web-1 서버 꺼줘", "서버 목록을 가져오지 못했어요 (EC2: UnauthorizedOperation).", []string{describe}}},
		},
		{
			name:   "stopping",
			locale: "en_US",
			deny:   map[string]bool{"StopInstances": true},
			turns: []turn{
				{"stop web-1", "Stop web-1 (" + webID + ")? Anything running on it goes down. Yes or no?", []string{describe}},
				{"yes", "I couldn't stop web-1 (EC2 said UnauthorizedOperation).", []string{"StopInstances " + webID}},
			},
		},
		{
			name:   "no credentials",
			locale: "en_US",
			creds:  noCredentials,
			turns:  []turn{{"list my servers", "I couldn't list the servers (EC2 did not answer; check the AWS region, credentials and network).", nil}},
		},
		{
			name:   "Korean: no credentials",
			locale: "ko_KR",
			creds:  noCredentials,
			turns:  []turn{{"db-1 켜줘", "서버 목록을 가져오지 못했어요 (EC2에 연결하지 못했어요. AWS 리전, 자격 증명, 네트워크를 확인해 주세요).", nil}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFakeEC2(t, account()...)
			fake.deny = tt.deny
			client := fake.client()
			if tt.creds != nil {
				client = fake.clientWith(tt.creds)
			}
			eng, bot := newEngine(t, client)
			key := parley.SessionKey{BotID: bot.ID, AliasID: parley.DraftAliasID, LocaleID: tt.locale, SessionID: "ops-failed"}
			res := converse(t, eng, fake, key, tt.turns)
			if in := res.SessionState.Intent; in == nil || in.State != parley.IntentFailed {
				t.Errorf("intent %+v, want Failed", in)
			}
			if got := fake.state(webID); got != "running" {
				t.Errorf("web-1 is %s, want running", got)
			}
		})
	}
}

package hooks

import (
	"fmt"
	"strings"

	"github.com/parleybot/parley"
)

// words are the hooks' messages in one language; the bot's own prompts
// live in its bot files.
type words struct {
	korean      bool
	noInstances string
	noID        string
}

// phrases returns the messages for the event's locale: Korean for ko_*,
// English otherwise.
func phrases(ev *parley.CodeHookEvent) words {
	if strings.HasPrefix(ev.Bot.LocaleID, "ko") {
		return words{
			korean:      true,
			noInstances: "이 리전에는 서버가 없어요.",
			noID:        "어떤 서버인지 놓쳤어요. 서버 이름을 다시 말씀해 주세요.",
		}
	}
	return words{
		noInstances: "You have no servers in this region.",
		noID:        "I lost track of which server you meant. Please name it again.",
	}
}

func (w words) instanceCount(n int) string {
	if w.korean {
		return fmt.Sprintf("서버가 %d대 있어요:", n)
	}
	if n == 1 {
		return "You have 1 server:"
	}
	return fmt.Sprintf("You have %d servers:", n)
}

// state names an EC2 instance state.
func (w words) state(s string) string {
	if !w.korean {
		return s
	}
	switch s {
	case "pending":
		return "시작 중"
	case "running":
		return "실행 중"
	case "stopping":
		return "중지 중"
	case "stopped":
		return "중지됨"
	case "shutting-down":
		return "종료 중"
	case "terminated":
		return "종료됨"
	}
	return s
}

func (w words) unknown(said string, known []string) string {
	switch {
	case w.korean && len(known) == 0:
		return fmt.Sprintf("%s 서버를 찾을 수 없어요. 이 리전에는 서버가 없어요. 어떤 서버인가요?", said)
	case w.korean:
		return fmt.Sprintf("%s 서버를 찾을 수 없어요. 있는 서버: %s. 어떤 서버인가요?", said, strings.Join(known, ", "))
	case len(known) == 0:
		return fmt.Sprintf("I can't find a server called %s, and this region has none. Which server?", said)
	}
	return fmt.Sprintf("I can't find a server called %s. Your servers: %s. Which one?", said, strings.Join(known, ", "))
}

func (w words) ambiguous(said string, ids []string) string {
	if w.korean {
		return fmt.Sprintf("%s라는 서버가 %d대 있어요: %s. 인스턴스 아이디로 말씀해 주세요.", said, len(ids), strings.Join(ids, ", "))
	}
	return fmt.Sprintf("%d servers are called %s: %s. Which one? Tell me its instance id.", len(ids), said, strings.Join(ids, ", "))
}

// why says why an EC2 call failed: the error code EC2 answered, or, when
// no answer came ("" code), where to look.
func (w words) why(code string) string {
	switch {
	case w.korean && code == "":
		return "EC2에 연결하지 못했어요. AWS 리전, 자격 증명, 네트워크를 확인해 주세요"
	case w.korean:
		return "EC2: " + code
	case code == "":
		return "EC2 did not answer; check the AWS region, credentials and network"
	}
	return "EC2 said " + code
}

func (w words) listFailed(code string) string {
	if w.korean {
		return fmt.Sprintf("서버 목록을 가져오지 못했어요 (%s).", w.why(code))
	}
	return fmt.Sprintf("I couldn't list the servers (%s).", w.why(code))
}

func (w words) changeFailed(act action, name, code string) string {
	switch {
	case w.korean && act == start:
		return fmt.Sprintf("%s 서버를 시작하지 못했어요 (%s).", name, w.why(code))
	case w.korean:
		return fmt.Sprintf("%s 서버를 중지하지 못했어요 (%s).", name, w.why(code))
	case act == start:
		return fmt.Sprintf("I couldn't start %s (%s).", name, w.why(code))
	}
	return fmt.Sprintf("I couldn't stop %s (%s).", name, w.why(code))
}

// changed reports a state change EC2 made; from and to are empty when its
// answer did not name the instance.
func (w words) changed(act action, name, id, from, to string) string {
	verb := map[bool]map[action]string{
		false: {start: "Starting", stop: "Stopping"},
		true:  {start: "시작합니다", stop: "중지합니다"},
	}[w.korean][act]
	switch {
	case w.korean && from == "":
		return fmt.Sprintf("%s(%s) 서버를 %s.", name, id, verb)
	case w.korean:
		return fmt.Sprintf("%s(%s) 서버를 %s: %s → %s.", name, id, verb, w.state(from), w.state(to))
	case from == "":
		return fmt.Sprintf("%s %s (%s).", verb, name, id)
	}
	return fmt.Sprintf("%s %s (%s): %s → %s.", verb, name, id, from, to)
}

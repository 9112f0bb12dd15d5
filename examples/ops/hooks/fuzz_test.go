package hooks_test

import (
	"context"
	"log/slog"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/examples/ops/hooks"
)

// memEC2 answers DescribeInstances from the test account in memory, so
// the fuzzer spends its time in the hook, not on loopback HTTP. The hook
// never changes state while validating, so Start and Stop fail the test.
type memEC2 struct{ t *testing.T }

var _ hooks.EC2 = memEC2{}

func (m memEC2) DescribeInstances(_ context.Context, in *ec2.DescribeInstancesInput, _ ...func(*ec2.Options)) (*ec2.DescribeInstancesOutput, error) {
	var states []string
	for _, f := range in.Filters {
		states = append(states, f.Values...)
	}
	out := &ec2.DescribeInstancesOutput{}
	for _, fi := range account() {
		if !slices.Contains(states, fi.State) {
			continue
		}
		inst := types.Instance{InstanceId: aws.String(fi.ID), State: &types.InstanceState{Name: types.InstanceStateName(fi.State)}}
		if fi.Name != "" {
			inst.Tags = []types.Tag{{Key: aws.String("Name"), Value: aws.String(fi.Name)}}
		}
		out.Reservations = append(out.Reservations, types.Reservation{Instances: []types.Instance{inst}})
	}
	return out, nil
}

func (m memEC2) StartInstances(context.Context, *ec2.StartInstancesInput, ...func(*ec2.Options)) (*ec2.StartInstancesOutput, error) {
	m.t.Error("the dialog hook started an instance")
	return &ec2.StartInstancesOutput{}, nil
}

func (m memEC2) StopInstances(context.Context, *ec2.StopInstancesInput, ...func(*ec2.Options)) (*ec2.StopInstancesOutput, error) {
	m.t.Error("the dialog hook stopped an instance")
	return &ec2.StopInstancesOutput{}, nil
}

// FuzzValidate feeds the dialog hook what users type (the transcript and
// the slot values the NLU read from it): it must always answer a valid
// response that either delegates with an instance of the account in both
// slots, delegates with nothing said, or asks again with both slots
// cleared.
func FuzzValidate(f *testing.F) {
	f.Add("stop web-1", "web-1", "", false)
	f.Add("stop prod-db-02", "db-02", "", false)
	f.Add("start i-0a1b2c3d4e5f60003", "", "", false)
	f.Add("i-0A1B2C3D4E5F60003요", "i-0A1B2C3D4E5F60003요", "", true)
	f.Add("batch-worker 서버 꺼줘", "batch-worker", "", true)
	f.Add("stop instance i-0123456789abcdef0", "", "i-0123456789abcdef0", false)
	f.Add("", "", "", false)
	ids := map[string]string{}
	for _, in := range account() {
		if in.State != "terminated" {
			ids[in.ID] = in.Name
		}
	}
	f.Fuzz(func(t *testing.T, transcript, name, id string, korean bool) {
		router := hooks.Router(memEC2{t}, slog.New(slog.DiscardHandler))
		slots := map[string]*parley.SlotValue{"InstanceName": nil, "InstanceId": nil}
		if name != "" {
			slots["InstanceName"] = parley.ScalarSlot(name, name, name)
		}
		if id != "" {
			slots["InstanceId"] = parley.ScalarSlot(id, id, id)
		}
		locale := "en_US"
		if korean {
			locale = "ko_KR"
		}
		ev := &parley.CodeHookEvent{
			MessageVersion: "1.0", InvocationSource: parley.DialogCodeHook, InputMode: parley.InputText,
			InputTranscript: transcript, SessionID: "fuzz",
			Bot: parley.HookBot{ID: "PERKINSBOT", Name: "Perkins", AliasID: parley.DraftAliasID, LocaleID: locale},
			SessionState: parley.SessionState{Intent: &parley.SessionIntent{
				Name: "StopInstance", Slots: slots, State: parley.IntentInProgress, ConfirmationState: parley.ConfirmationNone,
			}},
		}
		resp, err := router.Invoke(context.Background(), ev)
		if err != nil {
			t.Fatalf("hook failed: %v", err)
		}
		if err := resp.Validate(); err != nil {
			t.Fatalf("invalid response: %v", err)
		}
		st := resp.SessionState
		gotName, gotID := slotValue(st.Intent, "InstanceName"), slotValue(st.Intent, "InstanceId")
		switch st.DialogAction.Type {
		case parley.ActionDelegate:
			if gotName == "" && gotID == "" {
				return // nothing named yet: the dialog prompts
			}
			tag, ok := ids[gotID]
			if !ok || (gotName != tag && gotName != gotID) {
				t.Fatalf("delegated with InstanceName %q, InstanceId %q: not an instance of the account", gotName, gotID)
			}
		case parley.ActionElicitSlot:
			if st.DialogAction.SlotToElicit != "InstanceName" || gotName != "" || gotID != "" || len(resp.Messages) != 1 || resp.Messages[0].Content == "" {
				t.Fatalf("asked again with %+v, slots %q %q, messages %+v", st.DialogAction, gotName, gotID, resp.Messages)
			}
		default:
			t.Fatalf("dialog action %s", st.DialogAction.Type)
		}
	})
}

func slotValue(in *parley.SessionIntent, name string) string {
	if in == nil || in.Slots[name] == nil || in.Slots[name].Value == nil {
		return ""
	}
	return in.Slots[name].Value.InterpretedValue
}

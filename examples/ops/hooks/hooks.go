package hooks

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/hook/gofunc"
)

// Name is the name main.go registers the router under: bot files bind it
// as go:perkins.
const Name = "perkins"

// Slot names shared by StartInstance and StopInstance, and the session
// attribute that holds the instance id validate found.
const (
	slotName    = "InstanceName"
	slotID      = "InstanceId"
	checkedAttr = "perkinsCheckedInstance"
)

// EC2 is the part of the EC2 API that Perkins calls. *ec2.Client
// implements it; tests point a real client at a loopback fake.
type EC2 interface {
	ec2.DescribeInstancesAPIClient
	StartInstances(ctx context.Context, in *ec2.StartInstancesInput, opts ...func(*ec2.Options)) (*ec2.StartInstancesOutput, error)
	StopInstances(ctx context.Context, in *ec2.StopInstancesInput, opts ...func(*ec2.Options)) (*ec2.StopInstancesOutput, error)
}

var _ EC2 = (*ec2.Client)(nil)

// instanceID is what an EC2 instance id looks like; an answer to "which
// server?" that has this form names the instance by id.
var instanceID = regexp.MustCompile(`^i-[0-9a-f]{8,17}$`)

// Router returns Perkins's hooks, calling EC2 through client: ListInstances
// is fulfilled with DescribeInstances; StartInstance and StopInstance check
// on each dialog turn that the named instance exists and are fulfilled with
// StartInstances and StopInstances. Failed EC2 calls are logged at warn.
func Router(client EC2, logger *slog.Logger) *gofunc.Router {
	p := &perkins{ec2: client, log: logger}
	r := gofunc.NewRouter()
	r.Handle("ListInstances", p.list)
	r.Handle("StartInstance", p.instanceHook(start))
	r.Handle("StopInstance", p.instanceHook(stop))
	return r
}

// perkins holds what the handlers share.
type perkins struct {
	ec2 EC2
	log *slog.Logger
}

// instance is an EC2 instance as Perkins talks about it.
type instance struct {
	ID, Name, State string
}

// label is how the bot names an instance: its Name tag, else its id.
func (i instance) label() string {
	if i.Name != "" {
		return i.Name
	}
	return i.ID
}

// action is a state change the bot can ask EC2 for.
type action int

const (
	start action = iota
	stop
)

// list fulfills ListInstances.
func (p *perkins) list(ctx context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
	if ev.InvocationSource != parley.FulfillmentCodeHook {
		return gofunc.Delegate(ev), nil
	}
	say := phrases(ev)
	all, err := p.instances(ctx)
	if err != nil {
		return p.failed(ev, "DescribeInstances", err, say.listFailed(apiCode(err))), nil
	}
	if len(all) == 0 {
		return gofunc.Close(ev, parley.IntentFulfilled, gofunc.PlainText(say.noInstances)), nil
	}
	var b strings.Builder
	b.WriteString(say.instanceCount(len(all)))
	for _, in := range all {
		fmt.Fprintf(&b, "\n• %s (%s): %s", in.label(), in.ID, say.state(in.State))
	}
	return gofunc.Close(ev, parley.IntentFulfilled, gofunc.PlainText(b.String())), nil
}

// instanceHook returns the handler of StartInstance or StopInstance: the
// dialog hook validates the instance, the fulfillment hook changes its
// state.
func (p *perkins) instanceHook(act action) gofunc.HandlerFunc {
	return func(ctx context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
		if ev.InvocationSource == parley.FulfillmentCodeHook {
			return p.change(ctx, ev, act), nil
		}
		return p.validate(ctx, ev), nil
	}
}

// validate checks that the instance the user named (by Name tag or id)
// exists and fills both slots with it, so that the confirmation prompt can
// say both and fulfillment knows the id. An unknown or ambiguous name is
// asked for again, with the names that would work. The checked id is kept
// in the session attribute checkedAttr, so that later turns of the intent
// (the answer to the confirmation) do not ask EC2 again.
func (p *perkins) validate(ctx context.Context, ev *parley.CodeHookEvent) *parley.CodeHookResponse {
	name, id := gofunc.Slot(ev, slotName), gofunc.Slot(ev, slotID)
	if name != "" && id != "" && id == ev.SessionState.SessionAttributes[checkedAttr] {
		return gofunc.Delegate(ev)
	}
	said := id
	if said == "" {
		said = name
	}
	if said = spoken(ev.InputTranscript, said); said == "" {
		return gofunc.Delegate(ev)
	}
	say := phrases(ev)
	all, err := p.instances(ctx)
	if err != nil {
		return p.failed(ev, "DescribeInstances", err, say.listFailed(apiCode(err)))
	}
	found := match(all, said)
	switch len(found) {
	case 1:
		gofunc.SetSlot(ev, slotName, found[0].label())
		gofunc.SetSlot(ev, slotID, found[0].ID)
		setAttr(ev, checkedAttr, found[0].ID)
		return gofunc.Delegate(ev)
	case 0:
		gofunc.ClearSlot(ev, slotName)
		gofunc.ClearSlot(ev, slotID)
		return gofunc.ElicitSlot(ev, slotName, gofunc.PlainText(say.unknown(said, labels(all))))
	}
	gofunc.ClearSlot(ev, slotName)
	gofunc.ClearSlot(ev, slotID)
	ids := make([]string, len(found))
	for i, in := range found {
		ids[i] = in.ID
	}
	return gofunc.ElicitSlot(ev, slotName, gofunc.PlainText(say.ambiguous(said, ids)))
}

// change fulfills StartInstance or StopInstance with the id validate
// stored.
func (p *perkins) change(ctx context.Context, ev *parley.CodeHookEvent, act action) *parley.CodeHookResponse {
	say := phrases(ev)
	name, id := gofunc.Slot(ev, slotName), gofunc.Slot(ev, slotID)
	if !instanceID.MatchString(id) {
		// Only a session edited from outside (PutSession) gets here.
		return gofunc.Close(ev, parley.IntentFailed, gofunc.PlainText(say.noID))
	}
	var (
		changes []types.InstanceStateChange
		err     error
		op      = "StartInstances"
	)
	if act == start {
		var out *ec2.StartInstancesOutput
		if out, err = p.ec2.StartInstances(ctx, &ec2.StartInstancesInput{InstanceIds: []string{id}}); err == nil {
			changes = out.StartingInstances
		}
	} else {
		op = "StopInstances"
		var out *ec2.StopInstancesOutput
		if out, err = p.ec2.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{id}}); err == nil {
			changes = out.StoppingInstances
		}
	}
	if err != nil {
		return p.failed(ev, op, err, say.changeFailed(act, name, apiCode(err)))
	}
	// The next request checks its instance anew.
	delete(ev.SessionState.SessionAttributes, checkedAttr)
	from, to := "", ""
	for _, c := range changes {
		if aws.ToString(c.InstanceId) == id {
			from, to = stateName(c.PreviousState), stateName(c.CurrentState)
		}
	}
	return gofunc.Close(ev, parley.IntentFulfilled, gofunc.PlainText(say.changed(act, name, id, from, to)))
}

// failed logs a failed EC2 call and fails the intent with msg: the user
// learns the error code, not the request's details.
func (p *perkins) failed(ev *parley.CodeHookEvent, op string, err error, msg string) *parley.CodeHookResponse {
	p.log.Warn("perkins: EC2 call failed", "operation", op, "session", ev.SessionID, "err", err)
	return gofunc.Close(ev, parley.IntentFailed, gofunc.PlainText(msg))
}

// instances returns the instances that are not terminated, sorted by
// label, reading every page of DescribeInstances.
func (p *perkins) instances(ctx context.Context) ([]instance, error) {
	pages := ec2.NewDescribeInstancesPaginator(p.ec2, &ec2.DescribeInstancesInput{
		Filters: []types.Filter{{
			Name:   aws.String("instance-state-name"),
			Values: []string{"pending", "running", "stopping", "stopped"},
		}},
	})
	var all []instance
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("perkins: describe instances: %w", err)
		}
		for _, r := range page.Reservations {
			for _, in := range r.Instances {
				all = append(all, instance{ID: aws.ToString(in.InstanceId), Name: nameTag(in.Tags), State: stateName(in.State)})
			}
		}
	}
	slices.SortFunc(all, func(a, b instance) int {
		return strings.Compare(strings.ToLower(a.label())+" "+a.ID, strings.ToLower(b.label())+" "+b.ID)
	})
	return all, nil
}

// match returns the instances whose id is said, or else whose Name tag is
// said, case aside.
func match(all []instance, said string) []instance {
	said = strings.TrimSpace(said)
	if instanceID.MatchString(strings.ToLower(said)) {
		for _, in := range all {
			if in.ID == strings.ToLower(said) {
				return []instance{in}
			}
		}
		return nil
	}
	var found []instance
	for _, in := range all {
		if in.Name != "" && strings.EqualFold(in.Name, said) {
			found = append(found, in)
		}
	}
	return found
}

// spoken returns the whole word of the transcript that the slot value is
// part of: the NLU reads a name it was not taught, such as prod-db-02, by
// its parts and may keep only one of them, while instance names are single
// words. When no slot was filled it returns an instance id the transcript
// holds, or "".
func spoken(transcript, value string) string {
	for _, w := range strings.Fields(transcript) {
		// Trim punctuation and a Korean particle written onto the name
		// (web-1을).
		w = strings.TrimFunc(w, func(r rune) bool {
			return !(r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.'))
		})
		switch {
		case value == "" && instanceID.MatchString(strings.ToLower(w)):
			return strings.ToLower(w)
		case value != "" && len(w) > len(value) && strings.Contains(strings.ToLower(w), strings.ToLower(value)):
			return w
		}
	}
	return value
}

// setAttr sets a session attribute of ev, so that the response built from
// ev carries it.
func setAttr(ev *parley.CodeHookEvent, key, value string) {
	if ev.SessionState.SessionAttributes == nil {
		ev.SessionState.SessionAttributes = make(map[string]string)
	}
	ev.SessionState.SessionAttributes[key] = value
}

// labels returns the instances' labels, for a message that lists them.
func labels(all []instance) []string {
	out := make([]string, len(all))
	for i, in := range all {
		out[i] = in.label()
	}
	return out
}

func nameTag(tags []types.Tag) string {
	for _, t := range tags {
		if aws.ToString(t.Key) == "Name" {
			return aws.ToString(t.Value)
		}
	}
	return ""
}

func stateName(s *types.InstanceState) string {
	if s == nil {
		return ""
	}
	return string(s.Name)
}

// apiCode is the error code EC2 answered (UnauthorizedOperation, …), or
// "" when no answer came (no credentials, no region, no network).
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

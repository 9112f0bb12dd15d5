package hooks_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// Test credentials and region; the fake checks that requests are signed
// with them.
const (
	testAccessKey = "AKIDPERKINSTEST"
	testSecretKey = "perkins-test-secret"
	testRegion    = "eu-west-1"
)

// ec2Namespace is the XML namespace of EC2 API version 2016-11-15.
const ec2Namespace = "http://ec2.amazonaws.com/doc/2016-11-15/"

// fakeInstance is an instance of the fake account.
type fakeInstance struct {
	ID, Name, State string
}

// fakeEC2 plays the EC2 Query API on loopback for DescribeInstances,
// StartInstances and StopInstances. It checks what real EC2 would reject
// (method, content type, API version, a SigV4 Authorization header for the
// test key, region and service, known instance ids) and records each call
// as "Action id…" for the tests to compare.
type fakeEC2 struct {
	t   *testing.T
	srv *httptest.Server

	mu        sync.Mutex
	deny      map[string]bool // actions answered UnauthorizedOperation, as for a role without those rights
	instances []*fakeInstance
	calls     []string
}

var authorization = regexp.MustCompile(`^AWS4-HMAC-SHA256 Credential=` + testAccessKey + `/\d{8}/` + testRegion + `/ec2/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$`)

func newFakeEC2(t *testing.T, instances ...fakeInstance) *fakeEC2 {
	t.Helper()
	f := &fakeEC2{t: t}
	for _, in := range instances {
		f.instances = append(f.instances, &in)
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// client is an SDK client of the fake, as the example builds one for AWS.
func (f *fakeEC2) client() *ec2.Client {
	return f.clientWith(aws.CredentialsProviderFunc(func(_ context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecretKey, Source: "test"}, nil
	}))
}

// clientWith is client with other credentials.
func (f *fakeEC2) clientWith(creds aws.CredentialsProvider) *ec2.Client {
	return ec2.NewFromConfig(aws.Config{
		Region:      testRegion,
		Credentials: creds,
		HTTPClient:  f.srv.Client(),
	}, func(o *ec2.Options) { o.BaseEndpoint = aws.String(f.srv.URL) })
}

// takeCalls returns the calls so far and forgets them.
func (f *fakeEC2) takeCalls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	calls := f.calls
	f.calls = nil
	return calls
}

func (f *fakeEC2) state(id string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, in := range f.instances {
		if in.ID == id {
			return in.State
		}
	}
	return ""
}

func (f *fakeEC2) serve(w http.ResponseWriter, r *http.Request) {
	fail := func(status int, code, format string, args ...any) {
		f.t.Errorf("fake EC2: "+format, args...)
		writeEC2Error(w, status, code, fmt.Sprintf(format, args...))
	}
	if r.Method != http.MethodPost || r.URL.Path != "/" {
		fail(http.StatusBadRequest, "InvalidAction", "%s %s, want POST /", r.Method, r.URL.Path)
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		fail(http.StatusBadRequest, "InvalidParameterValue", "content type %q", r.Header.Get("Content-Type"))
		return
	}
	if !authorization.MatchString(r.Header.Get("Authorization")) || r.Header.Get("X-Amz-Date") == "" {
		fail(http.StatusUnauthorized, "AuthFailure", "authorization %q, date %q", r.Header.Get("Authorization"), r.Header.Get("X-Amz-Date"))
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		fail(http.StatusBadRequest, "InvalidParameterValue", "read body: %v", err)
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		fail(http.StatusBadRequest, "InvalidParameterValue", "form %q: %v", body, err)
		return
	}
	if v := form.Get("Version"); v != "2016-11-15" {
		fail(http.StatusBadRequest, "InvalidParameterValue", "version %q", v)
		return
	}
	action := form.Get("Action")
	ids := indexed(form, "InstanceId")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, strings.TrimSpace(action+" "+strings.Join(ids, " ")))
	if f.deny[action] {
		writeEC2Error(w, http.StatusForbidden, "UnauthorizedOperation", "You are not authorized to perform this operation.")
		return
	}
	switch action {
	case "DescribeInstances":
		f.describe(w, form)
	case "StartInstances", "StopInstances":
		if len(ids) == 0 {
			f.t.Errorf("fake EC2: %s without InstanceId.N", action)
			writeEC2Error(w, http.StatusBadRequest, "MissingParameter", "The request must contain the parameter InstanceId")
			return
		}
		f.change(w, action, ids)
	default:
		f.t.Errorf("fake EC2: unexpected action %q", action)
		writeEC2Error(w, http.StatusBadRequest, "InvalidAction", "The action "+action+" is not valid for this web service.")
	}
}

// describe answers DescribeInstances, honouring the instance-state-name
// filter and InstanceId.N.
func (f *fakeEC2) describe(w http.ResponseWriter, form url.Values) {
	var states []string
	for i := 1; form.Has("Filter." + strconv.Itoa(i) + ".Name"); i++ {
		p := "Filter." + strconv.Itoa(i)
		if name := form.Get(p + ".Name"); name != "instance-state-name" {
			f.t.Errorf("fake EC2: unexpected filter %q", name)
		}
		states = append(states, indexed(form, p+".Value")...)
	}
	ids := indexed(form, "InstanceId")
	resp := describeResponse{Xmlns: ec2Namespace, RequestID: "req-describe"}
	for _, in := range f.instances {
		if (len(states) > 0 && !slices.Contains(states, in.State)) || (len(ids) > 0 && !slices.Contains(ids, in.ID)) {
			continue
		}
		item := xmlInstance{ID: in.ID, Type: "t3.micro", State: xmlState{Code: stateCode(in.State), Name: in.State}}
		if in.Name != "" {
			item.Tags = []xmlTag{{Key: "Name", Value: in.Name}}
		}
		resp.Reservations = append(resp.Reservations, xmlReservation{ID: "r-" + in.ID[2:], Owner: "123456789012", Instances: []xmlInstance{item}})
	}
	writeXML(w, resp)
}

// change answers StartInstances or StopInstances; the instance moves to
// its final state at once, so a later DescribeInstances sees it.
func (f *fakeEC2) change(w http.ResponseWriter, action string, ids []string) {
	resp := changeResponse{Xmlns: ec2Namespace, RequestID: "req-change"}
	resp.XMLName.Local = action + "Response"
	for _, id := range ids {
		i := slices.IndexFunc(f.instances, func(in *fakeInstance) bool { return in.ID == id })
		if i < 0 {
			writeEC2Error(w, http.StatusBadRequest, "InvalidInstanceID.NotFound", "The instance ID '"+id+"' does not exist")
			return
		}
		in := f.instances[i]
		prev, cur, final := in.State, "pending", "running"
		if action == "StopInstances" {
			cur, final = "stopping", "stopped"
		}
		if prev == final {
			cur = final
		}
		in.State = final
		resp.Changes = append(resp.Changes, xmlChange{ID: id, Current: xmlState{Code: stateCode(cur), Name: cur}, Previous: xmlState{Code: stateCode(prev), Name: prev}})
	}
	writeXML(w, resp)
}

// indexed returns the values of a Query list parameter: P.1, P.2, …
func indexed(form url.Values, prefix string) []string {
	var out []string
	for i := 1; form.Has(prefix + "." + strconv.Itoa(i)); i++ {
		out = append(out, form.Get(prefix+"."+strconv.Itoa(i)))
	}
	return out
}

func stateCode(s string) int {
	return map[string]int{"pending": 0, "running": 16, "shutting-down": 32, "terminated": 48, "stopping": 64, "stopped": 80}[s]
}

type describeResponse struct {
	XMLName      xml.Name         `xml:"DescribeInstancesResponse"`
	Xmlns        string           `xml:"xmlns,attr"`
	RequestID    string           `xml:"requestId"`
	Reservations []xmlReservation `xml:"reservationSet>item"`
}

type xmlReservation struct {
	ID        string        `xml:"reservationId"`
	Owner     string        `xml:"ownerId"`
	Instances []xmlInstance `xml:"instancesSet>item"`
}

type xmlInstance struct {
	ID    string   `xml:"instanceId"`
	Type  string   `xml:"instanceType"`
	State xmlState `xml:"instanceState"`
	Tags  []xmlTag `xml:"tagSet>item,omitempty"`
}

type xmlState struct {
	Code int    `xml:"code"`
	Name string `xml:"name"`
}

type xmlTag struct {
	Key   string `xml:"key"`
	Value string `xml:"value"`
}

type changeResponse struct {
	XMLName   xml.Name
	Xmlns     string      `xml:"xmlns,attr"`
	RequestID string      `xml:"requestId"`
	Changes   []xmlChange `xml:"instancesSet>item"`
}

type xmlChange struct {
	ID       string   `xml:"instanceId"`
	Current  xmlState `xml:"currentState"`
	Previous xmlState `xml:"previousState"`
}

type ec2Error struct {
	XMLName   xml.Name `xml:"Response"`
	Code      string   `xml:"Errors>Error>Code"`
	Message   string   `xml:"Errors>Error>Message"`
	RequestID string   `xml:"RequestID"`
}

func writeXML(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	io.WriteString(w, xml.Header)
	xml.NewEncoder(w).Encode(v)
}

func writeEC2Error(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.WriteHeader(status)
	io.WriteString(w, xml.Header)
	xml.NewEncoder(w).Encode(ec2Error{Code: code, Message: msg, RequestID: "req-error"})
}

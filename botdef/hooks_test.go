package botdef_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/botdef"
)

func TestLoadCodeHooks(t *testing.T) {
	b, err := botdef.Parse("hooks.yaml", []byte(`
id: HOOKSBOT01
name: Hooks
aliases: [{id: PRODALIAS1, name: prod}]
codeHooks:
  - uri: python:hooks/lambda_function.py
    intents: {Status: "node:hooks/index.js:status"}
    environment: {AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:4567", TABLE: orders}
  - alias: PRODALIAS1
    locale: en_US
    uri: lambda:pizza-orders:live
    timeoutSeconds: 10
    maxResponseBytes: 51200
  - alias: TSTALIASID
    uri: https://hooks.example.com/lex
    secretEnv: PARLEY_HOOK_SECRET
locales:
  en_US:
    intents:
      - name: Order
        sampleUtterances: [order]
        initialResponse:
          messageGroups: [Sure.]
          allowInterrupt: true
          codeHook: {enabled: true, invocationLabel: OrderStart}
        slots:
          - name: Size
            slotTypeName: AMAZON.AlphaNumeric
            prompt: Size?
            elicitationCodeHook: {enableCodeHookInvocation: true, invocationLabel: Size_Retry}
          - name: Note
            slotTypeName: AMAZON.FreeFormInput
            prompt: Note?
            elicitationCodeHook: {enabled: false, invocationLabel: Off}
        fulfillment:
          codeHook: true
          updates:
            startResponse: Working on it.
            delayInSeconds: 2
            updateResponse: Still working.
            frequencyInSeconds: 5
            timeoutInSeconds: 120
      - name: Status
        sampleUtterances: [status]
        initialResponse:
          codeHook: true
`))
	if err != nil {
		t.Fatal(err)
	}
	want := []parley.CodeHookBinding{
		{URI: "python:hooks/lambda_function.py", Intents: map[string]string{"Status": "node:hooks/index.js:status"},
			Environment: map[string]string{"AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:4567", "TABLE": "orders"}},
		{AliasID: "PRODALIAS1", LocaleID: "en_US", URI: "lambda:pizza-orders:live", Timeout: 10 * time.Second, MaxResponseBytes: 51200},
		{AliasID: parley.DraftAliasID, URI: "https://hooks.example.com/lex", SecretEnv: "PARLEY_HOOK_SECRET"},
	}
	if !reflect.DeepEqual(b.CodeHooks, want) {
		t.Errorf("CodeHooks\n got %+v\nwant %+v", b.CodeHooks, want)
	}
	if got := b.CodeHookBinding("PRODALIAS1", "en_US"); got == nil || got.URI != "lambda:pizza-orders:live" {
		t.Errorf("binding for the prod alias = %+v", got)
	}
	loc := b.Locale("en_US")
	order := loc.Intent("Order")
	if order.InitialCodeHook == nil || order.InitialCodeHook.InvocationLabel != "OrderStart" {
		t.Errorf("initial code hook %+v", order.InitialCodeHook)
	}
	if r := order.InitialResponse; r == nil || !r.AllowInterrupt || len(r.MessageGroups) != 1 || r.MessageGroups[0].Message.Content != "Sure." {
		t.Errorf("initial response %+v", r)
	}
	if h := order.Slot("Size").ElicitationCodeHook; h == nil || h.InvocationLabel != "Size_Retry" {
		t.Errorf("Size elicitation hook %+v", h)
	}
	if h := order.Slot("Note").ElicitationCodeHook; h != nil {
		t.Errorf("a disabled elicitation hook was kept: %+v", h)
	}
	u := order.Fulfillment.Updates
	if u == nil || u.StartDelay != 2*time.Second || u.UpdateEvery != 5*time.Second || u.Timeout != 2*time.Minute ||
		u.StartResponse.MessageGroups[0].Message.Content != "Working on it." || u.UpdateResponse.MessageGroups[0].Message.Content != "Still working." {
		t.Errorf("updates %+v", u)
	}
	status := loc.Intent("Status")
	if status.InitialCodeHook == nil || status.InitialCodeHook.InvocationLabel != "" || status.InitialResponse != nil {
		t.Errorf("Status: hook %+v response %+v", status.InitialCodeHook, status.InitialResponse)
	}
}

package gofunc_test

import (
	"context"
	"fmt"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/hook/gofunc"
)

// A dialog hook for the pizza bot that rejects a crust the kitchen cannot
// make. A program that embeds Parley would register the router from an init
// function, gofunc.Register("pizza", router), and point the bot's code hook
// at "go:pizza".
func Example() {
	router := gofunc.NewRouter()
	router.Handle("OrderPizza", func(ctx context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
		switch crust := gofunc.Slot(ev, "Crust"); crust {
		case "", "thin", "thick":
			return gofunc.Delegate(ev), nil
		default:
			gofunc.ClearSlot(ev, "Crust")
			return gofunc.ElicitSlot(ev, "Crust",
				gofunc.PlainText("Sorry, no "+crust+" crust today. Thin or thick?")), nil
		}
	})

	// The engine sends an event like this one when the user has said
	// "a large stuffed crust pizza".
	ev := &parley.CodeHookEvent{
		MessageVersion:   "1.0",
		InvocationSource: parley.DialogCodeHook,
		SessionID:        "example",
		SessionState: parley.SessionState{
			Intent: &parley.SessionIntent{
				Name: "OrderPizza",
				Slots: map[string]*parley.SlotValue{
					"Size":  parley.ScalarSlot("large", "large", "large"),
					"Crust": parley.ScalarSlot("stuffed crust", "stuffed", "stuffed"),
				},
				State: parley.IntentInProgress,
			},
		},
	}
	resp, err := router.Invoke(context.Background(), ev)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.SessionState.DialogAction.Type, resp.SessionState.DialogAction.SlotToElicit)
	fmt.Println(resp.Messages[0].Content)
	fmt.Println("Size:", gofunc.Slot(ev, "Size"), "Crust:", resp.SessionState.Intent.Slots["Crust"])
	// Output:
	// ElicitSlot Crust
	// Sorry, no stuffed crust today. Thin or thick?
	// Size: large Crust: <nil>
}

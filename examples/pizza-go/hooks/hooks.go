// Package hooks is PizzaShop's bot logic as in-process Go code hooks: the
// Go counterpart of the Python Lambda in examples/pizza. Importing it
// registers the router "pizza", which a bot binds with
//
//	codeHooks:
//	  - uri: go:pizza
//
// On OrderPizza the dialog hook turns away a crust that is not on the menu
// and the fulfillment hook prices the order and keeps it in the session.
package hooks

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/hook/gofunc"
)

func init() {
	gofunc.Register("pizza", Router())
}

// stuffedCrustPrice is what a stuffed crust adds, in US dollars.
const stuffedCrustPrice = 1.50

// crusts are the crusts on the menu.
func crusts() []string { return []string{"thin", "thick", "stuffed"} }

// sizePrice is the price of a plain pizza of a size.
func sizePrice(size string) (float64, bool) {
	switch size {
	case "small":
		return 9.00, true
	case "medium":
		return 11.50, true
	case "large":
		return 14.00, true
	}
	return 0, false
}

// toppingPrice is what a topping adds.
func toppingPrice(topping string) (float64, bool) {
	switch topping {
	case "cheese":
		return 0, true
	case "mushroom":
		return 1.25, true
	case "veggie":
		return 1.50, true
	case "pepperoni":
		return 1.75, true
	}
	return 0, false
}

// Router returns PizzaShop's hooks: OrderPizza is handled, every other
// intent is left to the dialog (the router delegates intents it does not
// know).
func Router() *gofunc.Router {
	r := gofunc.NewRouter()
	r.Handle("OrderPizza", orderPizza)
	return r
}

// orderPizza is both of OrderPizza's hooks, told apart by the invocation
// source, as a Lex Lambda does it.
func orderPizza(_ context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
	if ev.InvocationSource == parley.FulfillmentCodeHook {
		return fulfill(ev)
	}
	return checkCrust(ev)
}

// checkCrust asks again for a crust that is not on the menu; everything
// else goes on as the bot defines it.
func checkCrust(ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
	crust := menuValue(ev, "Crust", crusts())
	said := gofunc.Slot(ev, "Crust")
	if said == "" || crust != "" {
		return gofunc.Delegate(ev), nil
	}
	// Clear the slot, so that the answer to the question fills it anew.
	gofunc.ClearSlot(ev, "Crust")
	return gofunc.ElicitSlot(ev, "Crust",
		gofunc.PlainText(fmt.Sprintf("Sorry, we don't have %s crust. Which crust: thin, thick or stuffed?", said))), nil
}

// fulfill prices the order and stores its id and total in the session
// attributes. The response has no messages, so the bot says its own
// success response.
func fulfill(ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
	size := gofunc.Slot(ev, "Size")
	base, ok := sizePrice(size)
	if !ok {
		return gofunc.Close(ev, parley.IntentFailed, gofunc.PlainText(fmt.Sprintf("Sorry, we don't make %s pizzas.", size))), nil
	}
	topping := gofunc.Slot(ev, "Topping")
	extra, ok := toppingPrice(topping)
	if !ok {
		return gofunc.Close(ev, parley.IntentFailed, gofunc.PlainText(fmt.Sprintf("Sorry, we're out of %s.", topping))), nil
	}
	total := base + extra
	if menuValue(ev, "Crust", crusts()) == "stuffed" {
		total += stuffedCrustPrice
	}
	attrs := ev.SessionState.SessionAttributes
	if attrs == nil {
		attrs = map[string]string{}
	}
	attrs["orderId"] = fmt.Sprintf("PZ-%06d", rand.IntN(1_000_000))
	attrs["orderTotal"] = fmt.Sprintf("%.2f", total)
	ev.SessionState.SessionAttributes = attrs
	return gofunc.Close(ev, parley.IntentFulfilled), nil
}

// menuValue returns the menu item a slot names (its interpreted value or
// one of its resolutions, case aside), or "" when it names none.
func menuValue(ev *parley.CodeHookEvent, slot string, menu []string) string {
	in := ev.SessionState.Intent
	if in == nil || in.Slots[slot] == nil || in.Slots[slot].Value == nil {
		return ""
	}
	v := in.Slots[slot].Value
	for _, s := range append([]string{v.InterpretedValue}, v.ResolvedValues...) {
		if s = strings.ToLower(s); slices.Contains(menu, s) {
			return s
		}
	}
	return ""
}

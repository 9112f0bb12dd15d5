package telegram

import (
	"strconv"
	"strings"
	"sync"
)

// keyPrefix starts the callback_data of a button whose value is kept
// server-side. Values that start with it are kept server-side too, so a
// button's data is never mistaken for a key or the other way round.
const keyPrefix = "\x1ek"

// valueKeys maps short callback keys to button values too long for
// callback_data. It remembers the last callbackKeys values; a tap on an
// older button finds nothing and is answered as expired. Safe for
// concurrent use.
type valueKeys struct {
	mu     sync.Mutex
	next   uint64
	values map[string]string
	order  []string // keys, oldest first
}

func newValueKeys() *valueKeys { return &valueKeys{values: map[string]string{}} }

// data returns the callback_data that brings value back.
func (k *valueKeys) data(value string) string {
	if len(value) <= maxCallbackData && !strings.HasPrefix(value, keyPrefix) {
		return value
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.next++
	key := keyPrefix + strconv.FormatUint(k.next, 36)
	k.values[key] = value
	k.order = append(k.order, key)
	if len(k.order) > callbackKeys {
		delete(k.values, k.order[0])
		k.order = k.order[1:]
	}
	return key
}

// value returns the value callback data stands for; false when it is a
// key that was forgotten.
func (k *valueKeys) value(data string) (string, bool) {
	if !strings.HasPrefix(data, keyPrefix) {
		return data, true
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.values[data]
	return v, ok
}

// offers remembers, per chat, the reply keyboard last offered: the text of
// each option and the value it stands for. A reply keyboard tap arrives
// as plain text, so this is how it becomes the value again. It holds at
// most offeredChats chats, dropping the oldest offer. Safe for concurrent
// use.
type offers struct {
	mu     sync.Mutex
	seq    uint64
	byChat map[int64]offer
	order  []offerRef // oldest first; refs to replaced offers are skipped
}

type offer struct {
	seq     uint64
	options map[string]string // option text → value
}

type offerRef struct {
	chat int64
	seq  uint64
}

func newOffers() *offers { return &offers{byChat: map[int64]offer{}} }

// set replaces the chat's offer; an empty one forgets it.
func (o *offers) set(chat int64, options map[string]string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(options) == 0 {
		delete(o.byChat, chat)
		return
	}
	o.seq++
	o.byChat[chat] = offer{seq: o.seq, options: options}
	o.order = append(o.order, offerRef{chat, o.seq})
	for len(o.byChat) > offeredChats || len(o.order) > 2*offeredChats {
		ref := o.order[0]
		o.order = o.order[1:]
		if cur, ok := o.byChat[ref.chat]; ok && cur.seq == ref.seq {
			delete(o.byChat, ref.chat)
		}
	}
}

// value maps typed text onto the value of the option it names, when the
// chat's last offer has one.
func (o *offers) value(chat int64, text string) string {
	o.mu.Lock()
	defer o.mu.Unlock()
	if v, ok := o.byChat[chat].options[text]; ok {
		return v
	}
	return text
}

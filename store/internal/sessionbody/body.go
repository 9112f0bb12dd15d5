package sessionbody

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/parleybot/parley"
)

var marshalerType = reflect.TypeFor[json.Marshaler]()

// Encode writes a session as JSON with the field names of its JSON tags
// but without their omitempty: every field is written, nil maps, slices and
// pointers as null and empty ones as {} and [], so that encoding/json
// decodes exactly what was stored. The wire tags drop empty collections,
// which would turn an empty SessionAttributes (clear all) into a nil one
// (keep all). Walking by reflection keeps fields added to parley.Session
// later in the body without a change here.
func Encode(s *parley.Session) ([]byte, error) {
	return appendJSON(make([]byte, 0, 2048), reflect.ValueOf(s).Elem())
}

// Decode is Encode's inverse.
func Decode(body []byte) (*parley.Session, error) {
	s := new(parley.Session)
	if err := json.Unmarshal(body, s); err != nil {
		return nil, err
	}
	return s, nil
}

func appendJSON(b []byte, v reflect.Value) ([]byte, error) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		if v.Type().Implements(marshalerType) {
			return appendMarshaler(b, v)
		}
		return appendJSON(b, v.Elem())
	}
	if v.Type().Implements(marshalerType) {
		return appendMarshaler(b, v) // time.Time
	}
	switch v.Kind() {
	case reflect.String:
		return appendString(b, v.String()), nil
	case reflect.Bool:
		return strconv.AppendBool(b, v.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(b, v.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.AppendUint(b, v.Uint(), 10), nil
	case reflect.Float32, reflect.Float64:
		// encoding/json's float format, and its error for NaN and ±Inf.
		return appendMarshaler(b, v)
	case reflect.Struct:
		return appendStruct(b, v)
	case reflect.Map:
		return appendMap(b, v)
	case reflect.Slice:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return appendMarshaler(b, v) // base64, as encoding/json expects back
		}
		fallthrough
	case reflect.Array:
		b = append(b, '[')
		for i := range v.Len() {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendJSON(b, v.Index(i)); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	default:
		return nil, fmt.Errorf("cannot encode a %s", v.Type())
	}
}

func appendMarshaler(b []byte, v reflect.Value) ([]byte, error) {
	out, err := json.Marshal(v.Interface())
	if err != nil {
		return nil, err
	}
	return append(b, out...), nil
}

// appendString quotes s as JSON. Most strings need no escaping and are
// copied as they are; the rest go through encoding/json, which also decides
// what to do with invalid UTF-8.
func appendString(b []byte, s string) []byte {
	plain := utf8.ValidString(s)
	for i := 0; plain && i < len(s); i++ {
		plain = s[i] >= 0x20 && s[i] != '"' && s[i] != '\\'
	}
	if plain {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	out, _ := json.Marshal(s) // a string always encodes
	return append(b, out...)
}

func appendStruct(b []byte, v reflect.Value) ([]byte, error) {
	t := v.Type()
	b = append(b, '{')
	first := true
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous || slices.Contains(strings.Split(opts, ","), "string") {
			// encoding/json would promote or quote these; no session type
			// uses them, so refuse rather than write what it cannot read.
			return nil, fmt.Errorf("cannot encode field %s.%s: embedded or ,string fields are not supported", t, f.Name)
		}
		if name == "" {
			name = f.Name
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendString(b, name)
		b = append(b, ':')
		var err error
		if b, err = appendJSON(b, v.Field(i)); err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
	}
	return append(b, '}'), nil
}

func appendMap(b []byte, v reflect.Value) ([]byte, error) {
	if v.IsNil() {
		return append(b, "null"...), nil
	}
	if v.Type().Key().Kind() != reflect.String {
		return nil, fmt.Errorf("cannot encode a %s: keys must be strings", v.Type())
	}
	keys := v.MapKeys()
	slices.SortFunc(keys, func(x, y reflect.Value) int { return strings.Compare(x.String(), y.String()) })
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k.String())
		b = append(b, ':')
		var err error
		if b, err = appendJSON(b, v.MapIndex(k)); err != nil {
			return nil, fmt.Errorf("[%q]: %w", k.String(), err)
		}
	}
	return append(b, '}'), nil
}

// EncodeNext encodes sess as a successful Put stores it: with the next
// version, one more than sess.Version. sess itself is not changed.
func EncodeNext(sess *parley.Session) ([]byte, error) {
	next := *sess // shallow: only Version differs, and only the encoder reads it
	next.Version++
	return Encode(&next)
}

// DecodeStored decodes a stored body. The key and version the store keeps
// beside the body are what its writes match on, so they win over the
// copies inside it.
func DecodeStored(body []byte, key parley.SessionKey, version int64) (*parley.Session, error) {
	sess, err := Decode(body)
	if err != nil {
		return nil, err
	}
	sess.Key = key
	sess.Version = version
	return sess, nil
}

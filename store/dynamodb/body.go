package dynamodb

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/parleybot/parley"
)

var marshalerType = reflect.TypeFor[json.Marshaler]()

// encodeBody writes a session as JSON under its JSON tag names but without
// their omitempty, so that nil and empty maps and slices come back apart
// (an empty SessionAttributes clears all, a nil one keeps all). It builds a
// tree of plain values that encoding/json then writes; leaves, and types
// with their own MarshalJSON such as time.Time, go through encoding/json
// directly. Attribute-value maps are not used for the body because
// DynamoDB refuses empty map keys, which session attributes may have.
func encodeBody(s *parley.Session) ([]byte, error) {
	tree, err := plain(reflect.ValueOf(s).Elem())
	if err != nil {
		return nil, err
	}
	return json.Marshal(tree)
}

// decodeBody is encodeBody's inverse.
func decodeBody(body []byte) (*parley.Session, error) {
	s := new(parley.Session)
	if err := json.Unmarshal(body, s); err != nil {
		return nil, err
	}
	return s, nil
}

func plain(v reflect.Value) (any, error) {
	if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface || v.Kind() == reflect.Map || v.Kind() == reflect.Slice) && v.IsNil() {
		return nil, nil
	}
	if v.Type().Implements(marshalerType) || v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
		return leaf(v)
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		return plain(v.Elem())
	case reflect.Struct:
		out := make(map[string]any, v.NumField())
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			if f.Anonymous || strings.Contains(opts, "string") {
				// encoding/json would promote or quote these; no session
				// type uses them, so refuse rather than write a wrong body.
				return nil, fmt.Errorf("cannot encode field %s.%s: embedded or ,string fields are not supported", t, f.Name)
			}
			if name == "" {
				name = f.Name
			}
			x, err := plain(v.Field(i))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f.Name, err)
			}
			out[name] = x
		}
		return out, nil
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return nil, fmt.Errorf("cannot encode a %s: keys must be strings", v.Type())
		}
		out := make(map[string]any, v.Len())
		for it := v.MapRange(); it.Next(); {
			x, err := plain(it.Value())
			if err != nil {
				return nil, fmt.Errorf("[%q]: %w", it.Key().String(), err)
			}
			out[it.Key().String()] = x
		}
		return out, nil
	case reflect.Slice, reflect.Array:
		out := make([]any, v.Len())
		for i := range v.Len() {
			x, err := plain(v.Index(i))
			if err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
			out[i] = x
		}
		return out, nil
	}
	return leaf(v)
}

// leaf is v as encoding/json writes it, kept verbatim in the tree.
func leaf(v reflect.Value) (any, error) {
	b, err := json.Marshal(v.Interface())
	if err != nil {
		return nil, err
	}
	return json.RawMessage(b), nil
}

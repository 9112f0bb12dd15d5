package storetest

import (
	"fmt"
	"reflect"
	"sort"
	"time"

	"github.com/parleybot/parley"
)

var timeType = reflect.TypeFor[time.Time]()

// Diff lists every difference between got and want, one line per field
// path. It is stricter than reflect.DeepEqual where a store can go wrong
// (nil and empty maps and slices differ) and looser where it cannot: times
// compare with time.Time.Equal, so a store may change their location or drop
// the monotonic reading.
func Diff(got, want *parley.Session) []string {
	var d []string
	diffValue(&d, "Session", reflect.ValueOf(got), reflect.ValueOf(want))
	return d
}

func diffValue(d *[]string, path string, got, want reflect.Value) {
	if got.Type() == timeType {
		g, w := got.Interface().(time.Time), want.Interface().(time.Time)
		if !g.Equal(w) {
			*d = append(*d, fmt.Sprintf("%s: got %v, want %v", path, g, w))
		}
		return
	}
	switch got.Kind() {
	case reflect.Pointer, reflect.Interface:
		if got.IsNil() || want.IsNil() {
			if got.IsNil() != want.IsNil() {
				*d = append(*d, fmt.Sprintf("%s: got %s, want %s", path, show(got), show(want)))
			}
			return
		}
		diffValue(d, path, got.Elem(), want.Elem())
	case reflect.Struct:
		for i := range got.NumField() {
			if f := got.Type().Field(i); f.IsExported() {
				diffValue(d, path+"."+f.Name, got.Field(i), want.Field(i))
			}
		}
	case reflect.Slice:
		if got.IsNil() != want.IsNil() || got.Len() != want.Len() {
			*d = append(*d, fmt.Sprintf("%s: got %s, want %s", path, show(got), show(want)))
			return
		}
		for i := range got.Len() {
			diffValue(d, fmt.Sprintf("%s[%d]", path, i), got.Index(i), want.Index(i))
		}
	case reflect.Map:
		if got.IsNil() != want.IsNil() {
			*d = append(*d, fmt.Sprintf("%s: got %s, want %s", path, show(got), show(want)))
			return
		}
		keys := map[string]reflect.Value{}
		for _, k := range append(got.MapKeys(), want.MapKeys()...) {
			keys[fmt.Sprint(k.Interface())] = k
		}
		names := make([]string, 0, len(keys))
		for name := range keys {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			k := keys[name]
			g, w := got.MapIndex(k), want.MapIndex(k)
			p := fmt.Sprintf("%s[%q]", path, name)
			switch {
			case !g.IsValid() && !w.IsValid():
			case !g.IsValid():
				*d = append(*d, fmt.Sprintf("%s: missing, want %s", p, show(w)))
			case !w.IsValid():
				*d = append(*d, fmt.Sprintf("%s: got %s, want no entry", p, show(g)))
			default:
				diffValue(d, p, g, w)
			}
		}
	default:
		if !got.Equal(want) {
			*d = append(*d, fmt.Sprintf("%s: got %#v, want %#v", path, got.Interface(), want.Interface()))
		}
	}
}

// show prints a value so that nil and empty collections look different.
func show(v reflect.Value) string {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice:
		if v.IsNil() {
			return "nil"
		}
		if v.Kind() == reflect.Map || v.Kind() == reflect.Slice {
			return fmt.Sprintf("%d entries %#v", v.Len(), v.Interface())
		}
	}
	return fmt.Sprintf("%#v", v.Interface())
}

package memory

import (
	"reflect"

	"github.com/parleybot/parley"
)

// clone deep-copies a session. It walks the value by reflection rather than
// copying field by field so that fields added to parley.Session later are
// copied too, and it keeps nil and empty maps and slices apart, which the
// session's semantics depend on (a nil SessionAttributes is not an empty
// one).
func clone(s *parley.Session) *parley.Session {
	return deepCopy(reflect.ValueOf(s)).Interface().(*parley.Session)
}

// deepCopy returns a copy of v that shares no mutable memory with it.
// Unexported fields are copied by value; in the session's types they only
// occur inside time.Time, whose *Location is immutable.
func deepCopy(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return reflect.Zero(v.Type())
		}
		c := reflect.New(v.Type().Elem())
		c.Elem().Set(deepCopy(v.Elem()))
		return c
	case reflect.Interface:
		if v.IsNil() {
			return reflect.Zero(v.Type())
		}
		c := reflect.New(v.Type()).Elem()
		c.Set(deepCopy(v.Elem()))
		return c
	case reflect.Map:
		if v.IsNil() {
			return reflect.Zero(v.Type())
		}
		c := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			c.SetMapIndex(deepCopy(it.Key()), deepCopy(it.Value()))
		}
		return c
	case reflect.Slice:
		if v.IsNil() {
			return reflect.Zero(v.Type())
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			c.Index(i).Set(deepCopy(v.Index(i)))
		}
		return c
	case reflect.Array:
		c := reflect.New(v.Type()).Elem()
		for i := range v.Len() {
			c.Index(i).Set(deepCopy(v.Index(i)))
		}
		return c
	case reflect.Struct:
		c := reflect.New(v.Type()).Elem()
		c.Set(v) // scalars and unexported fields are copied here
		for i := range v.NumField() {
			if f := v.Field(i); shares(f.Kind()) && v.Type().Field(i).IsExported() {
				c.Field(i).Set(deepCopy(f))
			}
		}
		return c
	default:
		return v
	}
}

// shares reports whether a value of kind k can reference memory that a plain
// assignment would share.
func shares(k reflect.Kind) bool {
	switch k {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice, reflect.Array, reflect.Struct:
		return true
	}
	return false
}

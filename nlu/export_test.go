package nlu

// Hooks for the external tests of unexported text handling.
var (
	Normalize     = func(s string) string { return normalize(s, false).s }
	StripParticle = stripParticle
	KoreanStems   = koreanStems
	JamoRunes     = jamoRunes
)

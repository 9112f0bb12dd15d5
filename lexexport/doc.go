// Package lexexport owns Amazon Lex V2 bot exports (the LexJson zip): it
// reads an export, zipped or unzipped, into a parley.Bot and writes a
// parley.Bot back out as an export that Lex can import. Reading accepts both
// the export's and the models API's field names, maps the classic order and
// the step graph (next steps, conditionals, code-hook steps) onto the model,
// and returns everything of the export that Parley cannot run (speech
// settings, Kendra, composite slots, switched-off steps …) as a Warning
// naming its file and JSON path, so nothing is dropped silently. Settings Lex keeps outside its
// exports (code-hook bindings, aliases, time zones, generative answers) travel
// in a Parley.json beside Manifest.json, so that a written bot reads back to
// the same model.
package lexexport

package botdef

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	// Time zones are checked with time.LoadLocation; the embedded database
	// makes that independent of the host's zoneinfo.
	_ "time/tzdata"

	"github.com/goccy/go-yaml/ast"
	"github.com/parleybot/parley"
)

// botFileNames are the names of the bot file in a bot folder, in the order
// they are looked for.
var botFileNames = []string{"bot.yaml", "bot.yml", "bot.json"}

// Folders of the multi-file layout under locales/<localeId>/.
const (
	intentsDir   = "intents"
	slotTypesDir = "slotTypes"
)

// Options change how a definition is read; the zero value reads it the way
// Load does.
type Options struct {
	// LookupEnv resolves the ${VAR} references in channel settings, the
	// way os.LookupEnv does (which is used when it is nil). Tests and
	// embedders pass their own so that loading does not depend on the
	// process environment.
	LookupEnv func(key string) (string, bool)
}

func (o Options) collector() *collector {
	lookup := o.LookupEnv
	if lookup == nil {
		lookup = os.LookupEnv
	}
	return &collector{lookupEnv: lookup}
}

// Load reads a bot definition from a file (.yaml, .yml or .json) or from a
// folder (bot.yaml plus locales/<localeId>/intents/*.yaml and
// locales/<localeId>/slotTypes/*.yaml) and returns the bot with defaults
// applied. On any problem it returns a nil bot and Problems as the error.
// Channel settings take ${VAR} values from the process environment.
func Load(path string) (*parley.Bot, error) {
	return LoadWith(path, Options{})
}

// LoadWith is Load with options.
func LoadWith(path string, opts Options) (*parley.Bot, error) {
	bot, problems := load(path, opts.collector())
	if len(problems) > 0 {
		return nil, problems
	}
	return bot, nil
}

// Validate reads a bot definition like Load and returns every problem in
// it, sorted by file, line and column; nil when there is none.
func Validate(path string) Problems {
	return ValidateWith(path, Options{})
}

// ValidateWith is Validate with options.
func ValidateWith(path string, opts Options) Problems {
	_, problems := load(path, opts.collector())
	return problems
}

// Parse reads a single-file bot definition from memory; name is the file
// name used in problems and as Bot.Source.
func Parse(name string, src []byte) (*parley.Bot, error) {
	return ParseWith(name, src, Options{})
}

// ParseWith is Parse with options.
func ParseWith(name string, src []byte, opts Options) (*parley.Bot, error) {
	c := opts.collector()
	def := c.decodeFile(name, src)
	bot := c.done(def, name)
	if len(c.problems) > 0 {
		return nil, c.problems
	}
	return bot, nil
}

func load(path string, c *collector) (*parley.Bot, Problems) {
	info, err := os.Stat(path)
	if err != nil {
		c.add(pos{file: path}, "cannot read: %v", unwrapPathError(err))
		return nil, c.problems
	}
	var def *botDef
	if info.IsDir() {
		def = c.loadDir(path)
	} else {
		src, err := os.ReadFile(path)
		if err != nil {
			c.add(pos{file: path}, "cannot read: %v", unwrapPathError(err))
			return nil, c.problems
		}
		def = c.decodeFile(path, src)
		// A folder's bot file given by itself still brings its locale
		// folders: "parley serve examples/pizza/bot.yaml" is the whole bot.
		if def != nil && slices.Contains(botFileNames, filepath.Base(path)) {
			c.loadLocales(filepath.Dir(path), def)
		}
	}
	bot := c.done(def, path)
	return bot, c.problems
}

// BotFile returns the file that holds the bot-level settings of the
// definition at path (where its channels and code hooks are written):
// path itself, or the bot file in it when path is a folder; path when
// there is none.
func BotFile(path string) string {
	for _, name := range botFileNames {
		p := filepath.Join(path, name)
		if info, err := os.Stat(p); err == nil && !info.IsDir() {
			return p
		}
	}
	return path
}

// unwrapPathError drops the path from a *fs.PathError, which the problem
// already names.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (c *collector) decodeFile(file string, src []byte) *botDef {
	d, root := c.parse(file, src)
	if root == nil {
		return nil
	}
	before := len(c.problems)
	def := d.decodeBot(root)
	if def == nil && len(c.problems) == before {
		// The document is only null (~, null, an anchored or tagged null).
		d.errorf(root, "file holds no bot: expected a mapping with id, name and locales, got null")
	}
	if def != nil {
		def.at = d.pos(root)
	}
	return def
}

// done finishes a decoded bot: whole-bot checks, defaults, sorting.
func (c *collector) done(def *botDef, source string) *parley.Bot {
	if def == nil {
		c.problems.sort()
		return nil
	}
	if len(def.locales) == 0 {
		c.add(def.at, "bot has no locales; add one under locales: (for example ko_KR:)")
	}
	c.finish(def)
	def.bot.Source = source
	c.problems.sort()
	return def.bot
}

// loadDir reads the multi-file layout.
func (c *collector) loadDir(dir string) *botDef {
	var botFile string
	for _, name := range botFileNames {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			if botFile != "" {
				c.add(pos{file: p}, "a bot folder has one bot file; %s is already read", filepath.Base(botFile))
				continue
			}
			botFile = p
		}
	}
	if botFile == "" {
		c.add(pos{file: dir}, "no bot file: expected one of %s", strings.Join(botFileNames, ", "))
		return nil
	}
	src, err := os.ReadFile(botFile)
	if err != nil {
		c.add(pos{file: botFile}, "cannot read: %v", unwrapPathError(err))
		return nil
	}
	def := c.decodeFile(botFile, src)
	if def != nil {
		c.loadLocales(dir, def)
	}
	return def
}

// loadLocales reads the locale folders under dir/locales, if there are any.
func (c *collector) loadLocales(dir string, def *botDef) {
	localesDir := filepath.Join(dir, "locales")
	entries, err := os.ReadDir(localesDir)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			c.add(pos{file: localesDir}, "cannot read: %v", unwrapPathError(err))
		}
		return
	}
	for _, e := range entries {
		sub := filepath.Join(localesDir, e.Name())
		if !e.IsDir() {
			c.add(pos{file: sub}, "unexpected file: locales/ holds one folder per locale id (like ko_KR)")
			continue
		}
		ld := def.locale(e.Name())
		if ld == nil {
			if !validLocaleID(e.Name()) {
				c.add(pos{file: sub}, "locale folder %q must be named like xx_YY (ko_KR, en_US, zh_CN)", e.Name())
				continue
			}
			ld = &localeDef{loc: &parley.Locale{ID: e.Name(), NLUConfidenceThreshold: parley.DefaultConfidenceThreshold}, at: pos{file: sub}}
			def.locales = append(def.locales, ld)
		}
		c.loadLocaleDir(sub, ld)
	}
}

func (def *botDef) locale(id string) *localeDef {
	for _, ld := range def.locales {
		if ld.loc.ID == id {
			return ld
		}
	}
	return nil
}

// loadLocaleDir reads intents/*.yaml and slotTypes/*.yaml of one locale.
func (c *collector) loadLocaleDir(dir string, ld *localeDef) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		c.add(pos{file: dir}, "cannot read: %v", unwrapPathError(err))
		return
	}
	for _, e := range entries {
		sub := filepath.Join(dir, e.Name())
		switch {
		case e.Name() == intentsDir && e.IsDir():
			c.eachFile(sub, func(d *doc, root ast.Node, stem string) {
				if in := d.decodeIntent(root, stem); in != nil {
					ld.intents = append(ld.intents, in)
				}
			})
		case e.Name() == slotTypesDir && e.IsDir():
			c.eachFile(sub, func(d *doc, root ast.Node, stem string) {
				if t := d.decodeSlotType(root, stem); t != nil {
					ld.types = append(ld.types, t)
				}
			})
		default:
			c.add(pos{file: sub}, "unexpected %s in a locale folder, which holds %s/ and %s/%s", kindOfEntry(e), intentsDir, slotTypesDir, suggest(e.Name(), []string{intentsDir, slotTypesDir}))
		}
	}
}

func kindOfEntry(e fs.DirEntry) string {
	if e.IsDir() {
		return "folder"
	}
	return "file"
}

// eachFile parses every definition file in dir, in name order.
func (c *collector) eachFile(dir string, decode func(d *doc, root ast.Node, stem string)) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		c.add(pos{file: dir}, "cannot read: %v", unwrapPathError(err))
		return
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		ext := filepath.Ext(e.Name())
		if e.IsDir() || !slices.Contains([]string{".yaml", ".yml", ".json"}, ext) {
			c.add(pos{file: p}, "unexpected %s: only .yaml, .yml and .json files are read here", kindOfEntry(e))
			continue
		}
		src, err := os.ReadFile(p)
		if err != nil {
			c.add(pos{file: p}, "cannot read: %v", unwrapPathError(err))
			continue
		}
		d, root := c.parse(p, src)
		if root == nil {
			continue
		}
		decode(d, root, strings.TrimSuffix(e.Name(), ext))
	}
}

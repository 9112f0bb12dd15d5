package cli_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/parleybot/parley/cli"
)

// mapEnv is an environment for LoadConfig that does not touch the process.
// loadConfig runs LoadConfig as `parley serve` would with flags and env,
// after --config naming a file that holds file when file is not "".
func loadConfig(t *testing.T, file string, flags []string, env map[string]string, args ...string) (cli.Config, error) {
	t.Helper()
	if file != "" {
		flags = append([]string{"--config", writeConfig(t, file)}, flags...)
	}
	fs := cli.NewConfigFlags()
	if err := fs.Parse(flags); err != nil {
		t.Fatal(err)
	}
	return cli.LoadConfig(fs, args, mapEnv(env))
}

func mapEnv(m map[string]string) cli.Env {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "parley.yaml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const fullFile = `
addr: 127.0.0.1:7001
store: "memory:"  # quoted: a trailing colon would start a mapping
apiKey: file-key
logLevel: debug
bots: [examples/hello, examples/pizza]
`

func TestLoadConfigPrecedence(t *testing.T) {
	tests := []struct {
		name  string
		file  string // config file body; none when empty
		env   map[string]string
		flags []string
		args  []string
		want  cli.Config
	}{
		{
			name: "defaults",
			want: cli.DefaultConfig(),
		},
		{
			name: "file over defaults",
			file: fullFile,
			want: cli.Config{Addr: "127.0.0.1:7001", Store: "memory:", APIKey: "file-key", LogLevel: "debug", Bots: []string{"examples/hello", "examples/pizza"}},
		},
		{
			name: "file keeps defaults for keys it does not name",
			file: "apiKey: k\n",
			want: cli.Config{Addr: "127.0.0.1:8080", Store: "sqlite:parley.db", APIKey: "k", LogLevel: "info"},
		},
		{
			name: "env over file",
			file: fullFile,
			env:  map[string]string{"PARLEY_ADDR": "127.0.0.1:7002", "PARLEY_STORE": "sqlite:env.db", "PARLEY_API_KEY": "env-key", "PARLEY_LOG_LEVEL": "warn"},
			want: cli.Config{Addr: "127.0.0.1:7002", Store: "sqlite:env.db", APIKey: "env-key", LogLevel: "warn", Bots: []string{"examples/hello", "examples/pizza"}},
		},
		{
			name: "empty env values are ignored",
			file: fullFile,
			env:  map[string]string{"PARLEY_ADDR": "", "PARLEY_API_KEY": ""},
			want: cli.Config{Addr: "127.0.0.1:7001", Store: "memory:", APIKey: "file-key", LogLevel: "debug", Bots: []string{"examples/hello", "examples/pizza"}},
		},
		{
			name:  "flags over env",
			file:  fullFile,
			env:   map[string]string{"PARLEY_ADDR": "127.0.0.1:7002", "PARLEY_STORE": "sqlite:env.db", "PARLEY_API_KEY": "env-key", "PARLEY_LOG_LEVEL": "warn"},
			flags: []string{"--addr", "0.0.0.0:7003", "--store=memory:", "--api-key", "flag-key", "--log-level", "error", "--insecure"},
			want:  cli.Config{Addr: "0.0.0.0:7003", Store: "memory:", APIKey: "flag-key", Insecure: true, LogLevel: "error", Bots: []string{"examples/hello", "examples/pizza"}},
		},
		{
			name:  "flag defaults do not hide env",
			env:   map[string]string{"PARLEY_STORE": "memory:"},
			flags: []string{"--log-level", "debug"},
			want:  cli.Config{Addr: "127.0.0.1:8080", Store: "memory:", LogLevel: "debug"},
		},
		{
			name: "store init from the file",
			file: "store: redis://127.0.0.1:6379/0\nstoreInit: true\n",
			want: cli.Config{Addr: "127.0.0.1:8080", Store: "redis://127.0.0.1:6379/0", StoreInit: true, LogLevel: "info"},
		},
		{
			name:  "store init flag",
			flags: []string{"--store", "postgres://u@127.0.0.1/db?table=t", "--store-init"},
			want:  cli.Config{Addr: "127.0.0.1:8080", Store: "postgres://u@127.0.0.1/db?table=t", StoreInit: true, LogLevel: "info"},
		},
		{
			name: "public URL from the file",
			file: "publicURL: https://bot.example.com/\n",
			want: cli.Config{Addr: "127.0.0.1:8080", Store: "sqlite:parley.db", LogLevel: "info", PublicURL: "https://bot.example.com"},
		},
		{
			name: "public URL from env",
			file: "publicURL: https://file.example.com\n",
			env:  map[string]string{"PARLEY_PUBLIC_URL": "https://env.example.com/base"},
			want: cli.Config{Addr: "127.0.0.1:8080", Store: "sqlite:parley.db", LogLevel: "info", PublicURL: "https://env.example.com/base"},
		},
		{
			name:  "public URL flag over env",
			env:   map[string]string{"PARLEY_PUBLIC_URL": "https://env.example.com"},
			flags: []string{"--public-url", "http://tunnel.example.net:8443//"},
			want:  cli.Config{Addr: "127.0.0.1:8080", Store: "sqlite:parley.db", LogLevel: "info", PublicURL: "http://tunnel.example.net:8443"},
		},
		{
			name: "arguments replace the file's bots",
			file: fullFile,
			args: []string{"other"},
			want: cli.Config{Addr: "127.0.0.1:7001", Store: "memory:", APIKey: "file-key", LogLevel: "debug", Bots: []string{"other"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := loadConfig(t, tt.file, tt.flags, tt.env, tt.args...)
			if err != nil {
				t.Fatalf("LoadConfig: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("LoadConfig =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestLoadConfigErrors(t *testing.T) {
	tests := []struct {
		name  string
		file  string
		env   map[string]string
		flags []string
		want  []string // substrings of the error
	}{
		{name: "unknown file key", file: "adress: 127.0.0.1:1\n", want: []string{"adress", "parley.yaml"}},
		{name: "file type error", file: "insecure: maybe\n", want: []string{"parley.yaml"}},
		{name: "addr without port", flags: []string{"--addr", "127.0.0.1"}, want: []string{`addr "127.0.0.1"`, "HOST:PORT"}},
		{name: "addr with bad port", env: map[string]string{"PARLEY_ADDR": "127.0.0.1:99999"}, want: []string{"port"}},
		{name: "unknown store kind", flags: []string{"--store", "mongo:localhost"}, want: []string{`store "mongo:localhost"`, "memory:", "sqlite:PATH", "redis://", "postgres://"}},
		{name: "redis without host", flags: []string{"--store", "redis:localhost"}, want: []string{`store "redis:localhost"`, "no host"}},
		{name: "redis bad database", flags: []string{"--store", "redis://localhost/x"}, want: []string{"database \"x\""}},
		{name: "password not shown", flags: []string{"--store", "redis://:hunter2@h:1/x"}, want: []string{`store "redis://:xxxxx@h:1/x"`, "database"}},
		{name: "postgres bad table", flags: []string{"--store", "postgres://u@db/app?table=a-b"}, want: []string{`store "postgres://u@db/app?table=a-b"`, "identifier"}},
		{name: "store without scheme", flags: []string{"--store", "parley.db"}, want: []string{"memory:", "sqlite:PATH"}},
		{name: "sqlite without path", flags: []string{"--store", "sqlite:"}, want: []string{"sqlite:parley.db"}},
		{name: "memory with argument", flags: []string{"--store", "memory:x"}, want: []string{"no argument"}},
		{name: "bad log level", env: map[string]string{"PARLEY_LOG_LEVEL": "loud"}, want: []string{`"loud"`, "debug, info, warn or error"}},
		{name: "all interfaces without key", flags: []string{"--addr", "0.0.0.0:0"}, want: []string{"0.0.0.0:0", "--api-key", "--insecure"}},
		{name: "empty host without key", flags: []string{"--addr", ":8080"}, want: []string{"--api-key", "--insecure"}},
		{name: "public host without key", flags: []string{"--addr", "example.com:80"}, want: []string{"--api-key"}},
		{name: "public URL without scheme", flags: []string{"--public-url", "bot.example.com"}, want: []string{`publicURL "bot.example.com"`, "http(s) URL"}},
		{name: "public URL with another scheme", env: map[string]string{"PARLEY_PUBLIC_URL": "ftp://bot.example.com"}, want: []string{`publicURL "ftp://bot.example.com"`}},
		{name: "public URL with a query", file: "publicURL: https://bot.example.com/?a=1\n", want: []string{"no query"}},
		{name: "every problem at once", flags: []string{"--addr", "x", "--store", "y", "--log-level", "z"}, want: []string{`addr "x"`, `store "y"`, `"z"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadConfig(t, tt.file, tt.flags, tt.env)
			if err == nil {
				t.Fatal("LoadConfig succeeded, want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestLoadConfigListenAddresses(t *testing.T) {
	tests := []struct {
		name  string
		flags []string
	}{
		{name: "IPv4 loopback", flags: []string{"--addr", "127.0.0.1:0"}},
		{name: "other IPv4 loopback", flags: []string{"--addr", "127.0.0.2:0"}},
		{name: "IPv6 loopback", flags: []string{"--addr", "[::1]:0"}},
		{name: "localhost", flags: []string{"--addr", "localhost:0"}},
		{name: "public with key", flags: []string{"--addr", "0.0.0.0:0", "--api-key", "k"}},
		{name: "public insecure", flags: []string{"--addr", "0.0.0.0:0", "--insecure"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := cli.NewConfigFlags()
			if err := fs.Parse(tt.flags); err != nil {
				t.Fatal(err)
			}
			if _, err := cli.LoadConfig(fs, nil, mapEnv(nil)); err != nil {
				t.Errorf("LoadConfig: %v", err)
			}
		})
	}
}

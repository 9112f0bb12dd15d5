package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/parleybot/parley/lambdahttp"
)

// Lambda mode: the parley binary, deployed as the `bootstrap` of an AWS
// Lambda custom runtime (provided.al2023), serves the same routes as
// `parley serve` (the Lex API, /chat, the web chat, the channels' webhooks,
// /healthz, /readyz, /metrics) from API Gateway and function URL events.
const (
	// lambdaRuntimeEnv is set by Lambda for every custom runtime; its
	// presence (with no arguments) selects Lambda mode.
	lambdaRuntimeEnv = "AWS_LAMBDA_RUNTIME_API"
	// lambdaBotsEnv lists the bot paths, comma-separated.
	lambdaBotsEnv = "PARLEY_BOTS"
	// lambdaConfigEnv names a YAML configuration file (as --config).
	lambdaConfigEnv = "PARLEY_CONFIG"
	// lambdaNoHooksEnv turns the code hooks off (as --no-hooks): a local
	// runner such as node: or python: is not in provided.al2023.
	lambdaNoHooksEnv = "PARLEY_NO_HOOKS"
	// lambdaTaskRootEnv is where Lambda unpacked the zip (/var/task).
	lambdaTaskRootEnv = "LAMBDA_TASK_ROOT"
	// lambdaDefaultBot is the bot folder next to bootstrap in the zip
	// `make lambda` builds, served when PARLEY_BOTS is not set.
	lambdaDefaultBot = "bot"
	// lambdaDefaultStore replaces the SQLite file default, which Lambda's
	// read-only /var/task cannot hold; sessions then last only as long as
	// one warm instance, so the deployment sets PARLEY_STORE=dynamodb://…
	lambdaDefaultStore = "memory:"
)

// isLambda reports whether Main runs as a Lambda function: the runtime API
// is set and no subcommand was given (Lambda starts bootstrap without
// arguments).
func isLambda(args []string, env Env) bool {
	api, ok := env(lambdaRuntimeEnv)
	return ok && api != "" && len(args) == 0
}

// lambdaConfig is LoadConfig for Lambda mode: no flags, the file named by
// PARLEY_CONFIG, PARLEY_* variables, bots from PARLEY_BOTS or the zip's bot
// folder, a memory store unless one is named.
func lambdaConfig(env Env) (Config, error) {
	fs := NewConfigFlags()
	if path, ok := env(lambdaConfigEnv); ok && path != "" {
		if err := fs.Set("config", path); err != nil {
			return Config{}, fmt.Errorf("config: %s: %w", lambdaConfigEnv, err)
		}
	}
	var bots []string
	if list, ok := env(lambdaBotsEnv); ok && list != "" {
		for b := range strings.SplitSeq(list, ",") {
			if b = strings.TrimSpace(b); b != "" {
				bots = append(bots, b)
			}
		}
	}
	cfg, err := LoadConfig(fs, bots, env)
	if err != nil {
		return Config{}, err
	}
	if len(cfg.Bots) == 0 {
		cfg.Bots = []string{filepath.Join(lambdaTaskRoot(env), lambdaDefaultBot)}
	}
	if v, ok := env("PARLEY_STORE"); (!ok || v == "") && cfg.Store == DefaultConfig().Store {
		cfg.Store = lambdaDefaultStore
	}
	if v, ok := env(lambdaNoHooksEnv); ok && v != "" {
		if cfg.NoHooks, err = strconv.ParseBool(v); err != nil {
			return Config{}, fmt.Errorf("config: %s=%q: want true or false", lambdaNoHooksEnv, v)
		}
	}
	return cfg, nil
}

// lambdaTaskRoot is the folder of the function's code: LAMBDA_TASK_ROOT, or
// the executable's folder when run by hand.
func lambdaTaskRoot(env Env) string {
	if root, ok := env(lambdaTaskRootEnv); ok && root != "" {
		return root
	}
	if exe, err := os.Executable(); err == nil {
		return filepath.Dir(exe)
	}
	return "."
}

// runLambda opens the server without a listener (training the bots during
// the cold start), then hands the runtime loop its routes; the loop only
// returns by ending the process. A failure before that is logged and told
// to the Runtime API's init error endpoint, so that the invocation waiting
// on this cold start fails with it instead of timing out.
func runLambda(stderr io.Writer, env Env) int {
	api, _ := env(lambdaRuntimeEnv)
	logger := slog.New(slog.NewJSONHandler(stderr, nil))
	cfg, err := lambdaConfig(env)
	if err == nil {
		logger, err = newJSONLogger(stderr, cfg.LogLevel)
	}
	if err != nil {
		return lambdaInitFailed(logger, api, err)
	}
	if cfg.Store == lambdaDefaultStore {
		logger.Warn("lambda: sessions are kept in this instance's memory only; set PARLEY_STORE (e.g. dynamodb://TABLE?region=REGION) to share them between instances")
	}
	start := time.Now()
	srv := NewServerWith(cfg, logger, ServerOptions{Hooks: HookOptions{Env: env}, NoListen: true})
	if err := srv.Open(); err != nil {
		return lambdaInitFailed(logger, api, err)
	}
	logger.Info("lambda: ready", "bots", cfg.Bots, "initMs", time.Since(start).Milliseconds())
	lambda.Start(lambdahttp.New(srv.Handler()))
	return 1 // not reached: lambda.Start exits the process
}

// lambdaInitFailed logs err and posts it to the Runtime API's init error
// endpoint; Lambda then reports it to the caller and in the function's log.
func lambdaInitFailed(logger *slog.Logger, api string, err error) int {
	logger.Error("lambda: init failed", "err", err.Error())
	body, _ := json.Marshal(map[string]any{
		"errorMessage": err.Error(),
		"errorType":    "Parley.InitError",
		"stackTrace":   []string{},
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, rerr := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+api+"/2018-06-01/runtime/init/error", bytes.NewReader(body))
	if rerr != nil {
		logger.Error("lambda: report init error", "err", rerr)
		return 1
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Lambda-Runtime-Function-Error-Type", "Parley.InitError")
	resp, rerr := http.DefaultClient.Do(req)
	if rerr != nil {
		logger.Error("lambda: report init error", "err", rerr)
		return 1
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		logger.Error("lambda: report init error", "status", resp.Status)
	}
	return 1
}

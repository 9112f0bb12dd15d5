// Package deploy holds the deployment files: an AWS SAM template for the
// Lambda mode (sam/template.yaml) and a Kubernetes example for the server
// mode (k8s/parley.yaml), with the Dockerfile at the repository root. None
// can be deployed here, so these tests parse them and check that what they
// name matches the code: the DynamoDB table's key and TTL attribute, the
// actions the store calls, the environment variables parley reads, the
// probe paths the server answers, the listen port and the grace period.
package deploy_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/parleybot/parley/cli"
	"github.com/parleybot/parley/store/dynamodb"
)

// node is a decoded YAML value.
type node = any

// at returns the value at path (map keys and list indexes), failing the
// test when it is missing.
func at(t *testing.T, v node, path ...any) node {
	t.Helper()
	for i, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("%v: not a mapping", path[:i+1])
			}
			if v, ok = m[k]; !ok {
				t.Fatalf("%v: missing", path[:i+1])
			}
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				t.Fatalf("%v: not a list with item %d", path[:i+1], k)
			}
			v = l[k]
		}
	}
	return v
}

func str(t *testing.T, v node, path ...any) string {
	t.Helper()
	s, ok := at(t, v, path...).(string)
	if !ok {
		t.Fatalf("%v: not a string: %v", path, at(t, v, path...))
	}
	return s
}

// readYAML decodes every document of a YAML file. CloudFormation's short
// tags (!Ref, !Sub, !GetAtt) leave their scalar: "!Ref ApiKey" is "ApiKey".
func readYAML(t *testing.T, path string) []node {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []node
	for {
		var doc node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			t.Fatalf("%s: %s", path, yaml.FormatError(err, false, true))
		}
		docs = append(docs, doc)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// knownEnv reports whether parley reads the variable: its name is a string
// literal in package cli.
func knownEnv(t *testing.T, name string) bool {
	t.Helper()
	files, err := filepath.Glob("../cli/*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") && strings.Contains(readFile(t, f), strconv.Quote(name)) {
			return true
		}
	}
	return false
}

// makeVar is the default value of a ?= variable in the Makefile.
func makeVar(t *testing.T, name string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + name + `\s*\?=\s*(\S+)`).FindStringSubmatch(readFile(t, "../Makefile"))
	if m == nil {
		t.Fatalf("Makefile sets no %s", name)
	}
	return m[1]
}

func TestSAMTemplate(t *testing.T) {
	tmpl := readYAML(t, "sam/template.yaml")[0]
	resources := at(t, tmpl, "Resources")
	params := at(t, tmpl, "Parameters").(map[string]any)

	// The table: what store/dynamodb's own create-table advice says.
	table := at(t, resources, "SessionTable")
	if str(t, table, "Type") != "AWS::DynamoDB::Table" {
		t.Fatalf("SessionTable is a %s", str(t, table, "Type"))
	}
	key, keyType := str(t, table, "Properties", "KeySchema", 0, "AttributeName"), str(t, table, "Properties", "KeySchema", 0, "KeyType")
	attrs := at(t, table, "Properties", "AttributeDefinitions").([]any)
	ttl := str(t, table, "Properties", "TimeToLiveSpecification", "AttributeName")
	advice := (&dynamodb.MissingTableError{Table: "T"}).Error()
	for _, want := range []string{
		"AttributeName=" + key + ",AttributeType=" + str(t, attrs[0], "AttributeType"),
		"--key-schema AttributeName=" + key + ",KeyType=" + keyType,
		"Enabled=true,AttributeName=" + ttl,
	} {
		if !strings.Contains(advice, want) {
			t.Errorf("the template's table has %q, store/dynamodb creates: %s", want, advice)
		}
	}
	if n := len(at(t, table, "Properties", "KeySchema").([]any)); n != 1 || len(attrs) != 1 || keyType != "HASH" {
		t.Errorf("the table's key must be the single hash key %s", key)
	}
	if at(t, table, "Properties", "TimeToLiveSpecification", "Enabled") != true {
		t.Error("TTL is not enabled")
	}

	fn := at(t, resources, "ParleyFunction")
	props := at(t, fn, "Properties")
	for _, c := range []struct{ path, want string }{
		{"Type", "AWS::Serverless::Function"},
		{"Runtime", "provided.al2023"},
		{"Handler", "bootstrap"},
		{"CodeUri", "../../dist/parley-lambda.zip"},
	} {
		from := props
		if c.path == "Type" {
			from = fn
		}
		v := at(t, from, c.path)
		if v != c.want {
			t.Errorf("%s = %v, want %s", c.path, v, c.want)
		}
	}
	if !strings.Contains(readFile(t, "../Makefile"), "dist/parley-lambda.zip") {
		t.Error("make lambda does not build dist/parley-lambda.zip, the template's CodeUri")
	}
	if arch := str(t, props, "Architectures", 0); arch != makeVar(t, "LAMBDA_ARCH") {
		t.Errorf("Architectures %s, make lambda builds %s", arch, makeVar(t, "LAMBDA_ARCH"))
	}
	if str(t, props, "FunctionUrlConfig", "AuthType") == "" {
		t.Error("no function URL")
	}
	if str(t, props, "Events", "HttpApi", "Type") != "HttpApi" {
		t.Error("no HTTP API event")
	}

	// Every variable is one parley reads; !Ref ones name parameters.
	vars := at(t, props, "Environment", "Variables").(map[string]any)
	env := map[string]string{}
	for name, v := range vars {
		if !knownEnv(t, name) {
			t.Errorf("parley does not read %s", name)
		}
		s := v.(string)
		if p, ok := params[s]; ok {
			s = "0123456789abcdef0123"
			if d, ok := p.(map[string]any)["Default"]; ok {
				s = d.(string)
			}
		}
		env[name] = strings.NewReplacer("${SessionTable}", "parley-sessions", "${AWS::Region}", "us-east-1").Replace(s)
	}
	cfg, err := cli.LoadConfig(cli.NewConfigFlags(), nil, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatalf("the template's settings: %v", err)
	}
	if cfg.Store != "dynamodb://parley-sessions?region=us-east-1" {
		t.Errorf("store %q", cfg.Store)
	}
	if _, err := dynamodb.ParseURL(cfg.Store); err != nil {
		t.Error(err)
	}
	if cfg.APIKey == "" {
		t.Error("no API key")
	}

	// The policy allows exactly what the store calls on an existing table.
	statement := at(t, props, "Policies", 0, "Statement", 0)
	if str(t, statement, "Resource") != "SessionTable.Arn" || str(t, statement, "Effect") != "Allow" {
		t.Errorf("policy statement %v", statement)
	}
	var allowed []string
	for _, a := range at(t, statement, "Action").([]any) {
		allowed = append(allowed, a.(string))
	}
	var used []string
	files, _ := filepath.Glob("../store/dynamodb/*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		for _, m := range regexp.MustCompile(`s\.client\.(\w+)\(`).FindAllStringSubmatch(readFile(t, f), -1) {
			// Only --store-init creates the table and its TTL.
			if a := "dynamodb:" + m[1]; m[1] != "CreateTable" && m[1] != "UpdateTimeToLive" && !slices.Contains(used, a) {
				used = append(used, a)
			}
		}
	}
	slices.Sort(allowed)
	slices.Sort(used)
	if !slices.Equal(allowed, used) {
		t.Errorf("the policy allows %v, store/dynamodb calls %v", allowed, used)
	}
}

// k8sObjects returns the manifest's Deployment and Service.
func k8sObjects(t *testing.T) (deployment, service node) {
	t.Helper()
	for _, doc := range readYAML(t, "k8s/parley.yaml") {
		switch str(t, doc, "kind") {
		case "Deployment":
			deployment = doc
		case "Service":
			service = doc
		}
	}
	if deployment == nil || service == nil {
		t.Fatal("want a Deployment and a Service")
	}
	return deployment, service
}

func TestKubernetesManifest(t *testing.T) {
	deployment, service := k8sObjects(t)
	if replicas := at(t, deployment, "spec", "replicas"); replicas != uint64(2) {
		t.Errorf("replicas %v (%T), want 2", replicas, replicas)
	}
	pod := at(t, deployment, "spec", "template", "spec")
	c := at(t, pod, "containers", 0)

	// The arguments and variables make a valid serve configuration.
	var args []string
	for _, a := range at(t, c, "args").([]any) {
		args = append(args, a.(string))
	}
	if args[0] != "serve" {
		t.Fatalf("args %q: want serve first", args)
	}
	env := map[string]string{}
	secret := false
	for _, e := range at(t, c, "env").([]any) {
		name := str(t, e, "name")
		if !knownEnv(t, name) {
			t.Errorf("parley does not read %s", name)
		}
		if v, ok := e.(map[string]any)["value"]; ok {
			env[name] = v.(string)
			continue
		}
		if name == "PARLEY_API_KEY" && str(t, e, "valueFrom", "secretKeyRef", "name") != "" {
			secret = true
		}
		env[name] = "from-a-secret-0123456789"
	}
	if !secret {
		t.Error("PARLEY_API_KEY does not come from a Secret")
	}
	fs := cli.NewConfigFlags()
	if err := fs.Parse(args[1:]); err != nil {
		t.Fatal(err)
	}
	cfg, err := cli.LoadConfig(fs, fs.Args(), func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatalf("the manifest's settings: %v", err)
	}
	if !strings.HasPrefix(cfg.Store, "redis://") {
		t.Errorf("store %q, want Redis shared by the replicas", cfg.Store)
	}
	grace := time.Duration(at(t, pod, "terminationGracePeriodSeconds").(uint64)) * time.Second
	if cfg.ShutdownTimeout <= 0 || grace <= cfg.ShutdownTimeout {
		t.Errorf("terminationGracePeriodSeconds %v must exceed --shutdown-timeout %v", grace, cfg.ShutdownTimeout)
	}

	// The port: the one --addr listens on, named for probes and Service.
	_, port, _ := strings.Cut(cfg.Addr, ":")
	if strconv.FormatUint(at(t, c, "ports", 0, "containerPort").(uint64), 10) != port {
		t.Errorf("containerPort %v, --addr %s", at(t, c, "ports", 0, "containerPort"), cfg.Addr)
	}
	portName := str(t, c, "ports", 0, "name")
	if str(t, service, "spec", "ports", 0, "targetPort") != portName {
		t.Error("the Service does not target the container's port")
	}
	if at(t, service, "spec", "selector", "app.kubernetes.io/name") != at(t, deployment, "spec", "template", "metadata", "labels", "app.kubernetes.io/name") {
		t.Error("the Service does not select the pods")
	}

	// Non-root, read-only root: the image's user, and a store not on disk.
	if at(t, pod, "securityContext", "runAsNonRoot") != true || at(t, c, "securityContext", "readOnlyRootFilesystem") != true ||
		at(t, c, "securityContext", "allowPrivilegeEscalation") != false {
		t.Error("the pod must run as non-root with a read-only root file system")
	}
	m := regexp.MustCompile(`(?m)^USER (\d+)`).FindStringSubmatch(readFile(t, "../Dockerfile"))
	if m == nil || strconv.FormatUint(at(t, pod, "securityContext", "runAsUser").(uint64), 10) != m[1] {
		t.Errorf("runAsUser %v, the Dockerfile's USER %v", at(t, pod, "securityContext", "runAsUser"), m)
	}

	// The probes ask what the server answers once ready.
	handler := openServer(t)
	for _, probe := range []string{"livenessProbe", "readinessProbe", "startupProbe"} {
		if str(t, c, probe, "httpGet", "port") != portName {
			t.Errorf("%s: port %v", probe, at(t, c, probe, "httpGet", "port"))
		}
		path := str(t, c, probe, "httpGet", "path")
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK {
			t.Errorf("%s GET %s = %d %s", probe, path, rec.Code, rec.Body)
		}
	}
	if str(t, c, "readinessProbe", "httpGet", "path") != "/readyz" || str(t, c, "livenessProbe", "httpGet", "path") != "/healthz" {
		t.Error("readiness must be /readyz (503 while not ready or draining), liveness /healthz")
	}
}

// openServer opens a server on the hello example, without listening, and
// returns its routes.
func openServer(t *testing.T) http.Handler {
	t.Helper()
	cfg := cli.DefaultConfig()
	cfg.Store, cfg.NoHooks, cfg.Bots = "memory:", true, []string{"../examples/hello"}
	srv := cli.NewServerWith(cfg, slog.New(slog.DiscardHandler), cli.ServerOptions{NoListen: true})
	if err := srv.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv.Handler()
}

func TestDockerfile(t *testing.T) {
	docker := readFile(t, "../Dockerfile")
	for _, want := range []string{"CGO_ENABLED=0", "FROM gcr.io/distroless/static", "EXPOSE 8080"} {
		if !strings.Contains(docker, want) {
			t.Errorf("the Dockerfile lacks %q", want)
		}
	}
	m := regexp.MustCompile(`(?m)^CMD (\[.*\])$`).FindStringSubmatch(docker)
	if m == nil {
		t.Fatal("no CMD in exec form")
	}
	var cmd []string
	if err := json.Unmarshal([]byte(m[1]), &cmd); err != nil {
		t.Fatal(err)
	}
	fs := cli.NewConfigFlags()
	if err := fs.Parse(cmd[1:]); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"PARLEY_API_KEY": "from-docker-run-0123456789"}
	cfg, err := cli.LoadConfig(fs, fs.Args(), func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatalf("the CMD's settings: %v", err)
	}
	if cfg.Addr != "0.0.0.0:8080" {
		t.Errorf("CMD listens on %s, EXPOSE 8080", cfg.Addr)
	}
	// Without a key the server refuses to listen on 0.0.0.0.
	delete(env, "PARLEY_API_KEY")
	if _, err := cli.LoadConfig(fs, fs.Args(), func(k string) (string, bool) { v, ok := env[k]; return v, ok }); err == nil {
		t.Error("the CMD serves without an API key")
	}
	if !strings.Contains(readFile(t, "../.dockerignore"), ".git") {
		t.Error(".dockerignore does not keep .git out of the build context")
	}
}

package testserver

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
)

// PostgresUser is the superuser of the clusters StartPostgres makes; it
// logs in without a password.
const PostgresUser = "parley"

// StartPostgres initialises a PostgreSQL cluster in a temporary folder and
// starts it on a free loopback port, without fsync (the tests never crash
// the server, only its clients); the caller stops it. PostgreSQL refuses to
// run as root, so as root the cluster belongs to the postgres user (or
// nobody) and its programs run through runuser.
func StartPostgres() (*Server, error) {
	bin := postgresBin()
	if bin == "" {
		return nil, &MissingError{Program: "PostgreSQL (initdb, pg_ctl)", Install: "Debian package postgresql; scripts/test-deps.sh installs it"}
	}
	// Under /tmp rather than $TMPDIR: the server's socket path must stay
	// short, and the postgres user must be able to reach the folder.
	base := ""
	if st, err := os.Stat("/tmp"); err == nil && st.IsDir() {
		base = "/tmp"
	}
	dir, err := os.MkdirTemp(base, "parley-pg-")
	if err != nil {
		return nil, fmt.Errorf("testserver: %w", err)
	}
	cleanup := func() { os.RemoveAll(dir) }
	as, err := unprivileged(dir)
	if err != nil {
		cleanup()
		return nil, err
	}
	data := filepath.Join(dir, "data")
	if out, err := as(filepath.Join(bin, "initdb"), "-D", data, "-U", PostgresUser, "--auth=trust", "-E", "UTF8", "--no-sync").CombinedOutput(); err != nil {
		cleanup()
		return nil, fmt.Errorf("testserver: initdb: %w\n%s", err, out)
	}
	port, err := freePort()
	if err != nil {
		cleanup()
		return nil, err
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off", port, dir)
	if out, err := as(filepath.Join(bin, "pg_ctl"), "-D", data, "-l", filepath.Join(dir, "log"), "-w", "-o", opts, "start").CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		cleanup()
		return nil, fmt.Errorf("testserver: pg_ctl start: %w\n%s\n%s", err, out, log)
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	return &Server{
		Addr: addr,
		URL:  "postgres://" + PostgresUser + "@" + addr + "/postgres?sslmode=disable",
		stop: func() {
			as(filepath.Join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "stop").Run()
			cleanup()
		},
	}, nil
}

// postgresBin is the folder with initdb and pg_ctl: Debian keeps them off
// PATH under /usr/lib/postgresql/VERSION/bin.
func postgresBin() string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	if p, err := exec.LookPath("initdb"); err == nil {
		dirs = append(dirs, filepath.Dir(p))
	}
	for i := len(dirs) - 1; i >= 0; i-- { // the newest version sorts last
		if _, err := os.Stat(filepath.Join(dirs[i], "pg_ctl")); err == nil {
			return dirs[i]
		}
	}
	return ""
}

// unprivileged returns how to run PostgreSQL's programs: directly, or as
// root through runuser as the postgres user (else nobody), who is then
// given dir.
func unprivileged(dir string) (func(name string, args ...string) *exec.Cmd, error) {
	if os.Geteuid() != 0 {
		return exec.Command, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		u, err = user.Lookup("nobody")
	}
	if err != nil {
		return nil, fmt.Errorf("testserver: running as root and found neither a postgres nor a nobody user to run PostgreSQL as: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		return nil, fmt.Errorf("testserver: %w", err)
	}
	return func(name string, args ...string) *exec.Cmd {
		return exec.Command("runuser", append([]string{"-u", u.Username, "--", name}, args...)...)
	}, nil
}

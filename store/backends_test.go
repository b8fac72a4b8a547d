package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver of rawDB
)

// The PostgreSQL half of the suite runs against the server this URL names
// (a role that may create databases): .ci/postgres.sh starts one and
// prints it. Without it those tests are skipped, unless requirePostgresEnv
// is set, as CI sets it: then they fail.
const (
	postgresURLEnv     = "OPSDRAG_TEST_POSTGRES_URL"
	requirePostgresEnv = "OPSDRAG_REQUIRE_POSTGRES"
)

// backend is one of the store's two databases.
type backend struct {
	name string
	pg   bool
}

var backends = []backend{{name: "sqlite"}, {name: "postgres", pg: true}}

// forBackends runs f as one subtest per backend, so every behaviour is
// proven on both.
func forBackends(t *testing.T, f func(t *testing.T, b backend)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			if b.pg {
				requirePostgres(t)
			}
			f(t, b)
		})
	}
}

// fresh returns a new, empty store's target: a SQLite file, or a schema of
// its own in the test database (search_path in the URL, as docs/store.md
// tells a team sharing a database to do), dropped after the test.
func (b backend) fresh(t testing.TB) string {
	t.Helper()
	if !b.pg {
		return tempDB(t)
	}
	return freshSchema(t)
}

func requirePostgres(t testing.TB) {
	t.Helper()
	if os.Getenv(postgresURLEnv) != "" {
		return
	}
	if os.Getenv(requirePostgresEnv) != "" {
		t.Fatalf("%s is set but %s is not: start PostgreSQL with .ci/postgres.sh", requirePostgresEnv, postgresURLEnv)
	}
	t.Skipf("no PostgreSQL: set %s (bash .ci/postgres.sh start $$ prints it) to run this half of the suite", postgresURLEnv)
}

// testDatabase is the database this test binary creates for its schemas,
// so runs never see each other's; TestMain drops it.
var testDatabase struct {
	once sync.Once
	url  string
	err  error
}

var schemaSeq atomic.Int64

// testDatabaseURL creates the test binary's database on first use.
func testDatabaseURL(t testing.TB) string {
	t.Helper()
	requirePostgres(t)
	testDatabase.once.Do(func() {
		admin := os.Getenv(postgresURLEnv)
		name := fmt.Sprintf("opsdrag_store_test_%d", os.Getpid())
		db, err := sql.Open("pgx", admin)
		if err != nil {
			testDatabase.err = err
			return
		}
		defer db.Close()
		if _, err := db.Exec(`DROP DATABASE IF EXISTS ` + name); err != nil {
			testDatabase.err = err
			return
		}
		if _, err := db.Exec(`CREATE DATABASE ` + name + ` TEMPLATE template0 ENCODING 'UTF8'`); err != nil {
			testDatabase.err = err
			return
		}
		testDatabase.url = withDatabase(admin, name)
	})
	if testDatabase.err != nil {
		t.Fatalf("create the test database: %v", testDatabase.err)
	}
	return testDatabase.url
}

// dropTestDatabase drops the database testDatabaseURL created, if any.
func dropTestDatabase() {
	if testDatabase.url == "" {
		return
	}
	db, err := sql.Open("pgx", os.Getenv(postgresURLEnv))
	if err != nil {
		return
	}
	defer db.Close()
	u, _ := url.Parse(testDatabase.url)
	db.Exec(`DROP DATABASE IF EXISTS ` + u.Path[1:] + ` WITH (FORCE)`)
}

// withDatabase is rawURL naming database name instead.
func withDatabase(rawURL, name string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		panic(err)
	}
	u.Path = "/" + name
	return u.String()
}

// withQuery is rawURL with the query parameter k set to v.
func withQuery(rawURL, k, v string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		panic(err)
	}
	q := u.Query()
	q.Set(k, v)
	u.RawQuery = q.Encode()
	return u.String()
}

// freshSchema creates an empty schema and returns the URL that makes it
// the store's.
func freshSchema(t testing.TB) string {
	t.Helper()
	base := testDatabaseURL(t)
	name := fmt.Sprintf("s%d", schemaSeq.Add(1))
	db := rawDB(t, base)
	if _, err := db.Exec(`CREATE SCHEMA ` + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := db.ExecContext(context.Background(), `DROP SCHEMA `+name+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", name, err)
		}
	})
	return withQuery(base, "search_path", name)
}

// shown is how errors name target: a PostgreSQL URL without its password.
func shown(target string) string {
	if IsURL(target) {
		return RedactURL(target)
	}
	return target
}

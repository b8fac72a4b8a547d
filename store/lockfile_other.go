//go:build !unix

package store

import "errors"

// lockFile is not available here: opsdrag is released for Linux and macOS.
func lockFile(string) (func() error, error) {
	return nil, errors.New("a collect lock on a SQLite file needs Linux or macOS; use a PostgreSQL store")
}

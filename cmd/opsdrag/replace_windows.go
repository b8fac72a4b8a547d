//go:build windows

package main

import (
	"os"
	"path/filepath"
)

// replaceFile writes data to path whole or not at all: into a temporary
// file beside it, renamed over it once complete. Windows has no umask and
// ignores perm; opsdrag is released for Linux and macOS.
func replaceFile(path string, data []byte, _ os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // gone after the rename; cleans up on failure
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

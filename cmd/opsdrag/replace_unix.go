//go:build !windows

package main

import (
	"os"
	"path/filepath"

	"github.com/google/renameio/v2"
)

// replaceFile writes data to path whole or not at all: into a temporary
// file beside it (never in $TMPDIR, where others could read it while it is
// written), renamed over it once complete. A new file gets perm less the
// umask; a file it replaces keeps its own mode. A symbolic link at path is
// replaced by the file, not written through.
func replaceFile(path string, data []byte, perm os.FileMode) error {
	return renameio.WriteFile(path, data, perm, renameio.WithTempDir(filepath.Dir(path)))
}

package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"
)

// writeOutput writes a rendered report to stdout ("-") or to the file
// --output names, whole or not at all: into a temporary file beside it,
// renamed over it once complete. With --open and stdout, the page goes to
// a file in the temporary directory instead, for the browser to open. It
// returns the file written ("" for stdout).
func writeOutput(stdout io.Writer, rf reportFlags, page []byte) (string, error) {
	path := rf.output
	if path == "" || path == "-" {
		if !rf.open {
			_, err := stdout.Write(page)
			return "", err
		}
		path = filepath.Join(os.TempDir(), "opsdrag-report-"+time.Now().Format("20060102-150405")+".html")
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return "", fmt.Errorf("write the report to %s: %w (check that the directory exists and is writable)", path, err)
	}
	defer os.Remove(tmp.Name()) // gone after the rename; cleans up on failure
	if _, err := tmp.Write(page); err != nil {
		tmp.Close()
		return "", fmt.Errorf("write the report to %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("write the report to %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return "", fmt.Errorf("write the report to %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", fmt.Errorf("write the report to %s: %w", path, err)
	}
	return path, nil
}

// openInBrowser hands a file to the desktop's default application, the
// way a person would double-click it; it does not wait for the browser.
func openInBrowser(path string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", path)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", path)
	default:
		cmd = exec.Command("xdg-open", path)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	// The opener hands the file over and exits; opsdrag exits right after.
	return cmd.Process.Release()
}

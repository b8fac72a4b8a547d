package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"
)

// writeOutput writes a rendered report to stdout ("-") or to the file
// --output names, whole or not at all (replaceFile). A new file gets the
// mode a shell's > would give it (0666 less the umask) and a replaced one
// keeps its own. With --open and stdout, the page goes to a file in the
// temporary directory instead, for the browser to open, readable by this
// user alone. It returns the file written ("" for stdout).
func writeOutput(stdout io.Writer, rf reportFlags, page []byte) (string, error) {
	path, perm := rf.output, os.FileMode(0o666)
	if path == "" || path == "-" {
		if !rf.open {
			_, err := stdout.Write(page)
			return "", err
		}
		path, perm = filepath.Join(os.TempDir(), "opsdrag-report-"+time.Now().Format("20060102-150405")+".html"), 0o600
	}
	if err := replaceFile(path, page, perm); err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
			return "", fmt.Errorf("write the report to %s: %w (check that the directory exists and is writable)", path, err)
		}
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

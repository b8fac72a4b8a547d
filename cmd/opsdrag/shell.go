package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// describeCompletion gives cobra's completion command examples; the
// Homebrew cask installs the scripts it prints.
func describeCompletion(root *cobra.Command) {
	c, _, err := root.Find([]string{"completion"})
	if err != nil || c == root {
		return
	}
	c.Example = `  opsdrag completion bash > "$(brew --prefix)/etc/bash_completion.d/opsdrag"
  opsdrag completion zsh > "${fpath[1]}/_opsdrag"
  opsdrag completion fish > ~/.config/fish/completions/opsdrag.fish`
}

// newManCmd writes the man pages, one per command, generated from the
// commands themselves; the release runs it so the archives and the cask
// ship pages that match the binary. Hidden: it is a build step.
func newManCmd() *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:    "man",
		Short:  "Write the man pages into a directory",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return fmt.Errorf("create the man page directory: %w", err)
			}
			// The page's date comes from SOURCE_DATE_EPOCH when set, so a
			// release build is reproducible.
			header := &doc.GenManHeader{Title: "OPSDRAG", Section: "1", Source: "opsdrag " + version, Manual: "opsdrag manual"}
			if err := doc.GenManTree(cmd.Root(), header, dir); err != nil {
				return fmt.Errorf("write the man pages to %s: %w", dir, err)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "manpages", "directory to write the pages to")
	return cmd
}

package github

import (
	"slices"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// infraRules decide whether a pull request is infrastructure work: a
// changed file (or, for a rename, its previous name) matches one of the
// path globs, or one of its labels is an infra label.
type infraRules struct {
	globs  []string
	labels map[string]bool // lower-cased
}

func newInfraRules(globs, labels []string) infraRules {
	r := infraRules{globs: globs, labels: map[string]bool{}}
	for _, l := range labels {
		r.labels[strings.ToLower(strings.TrimSpace(l))] = true
	}
	return r
}

// prFile is a changed file of a pull request, as kept in the permanent
// store for merged PRs.
type prFile struct {
	Name     string `json:"name"`
	Previous string `json:"previous,omitempty"`
}

// matchPaths returns the changed paths that match a glob, in file order. A
// rename matches on either name; the name that matched is the one returned.
func (r infraRules) matchPaths(files []prFile) []string {
	var out []string
	for _, f := range files {
		for _, p := range []string{f.Name, f.Previous} {
			if p != "" && r.matchPath(p) && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

func (r infraRules) matchPath(p string) bool {
	for _, g := range r.globs {
		if ok, err := doublestar.Match(g, p); err == nil && ok {
			return true
		}
	}
	return false
}

// matchLabels returns the labels that are infra labels, compared without
// regard to case, as the PR spells them.
func (r infraRules) matchLabels(names []string) []string {
	var out []string
	for _, n := range names {
		if r.labels[strings.ToLower(strings.TrimSpace(n))] {
			out = append(out, n)
		}
	}
	return out
}

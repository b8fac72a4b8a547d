package ghfake

import (
	"embed"
	"encoding/json"
	"fmt"
	"time"
)

// The templates are single items taken verbatim from the components.examples
// of GitHub's OpenAPI description (npm @octokit/openapi@23.0.2; see
// testdata/README.md). Every body the fake serves is one of them with the
// fields a scenario sets overwritten, so the shape — nesting, URL fields,
// nulls — is the real API's.
//
//go:embed testdata/*.json
var templates embed.FS

type template struct{ raw []byte }

func mustTemplate(name string) template {
	b, err := templates.ReadFile("testdata/" + name + ".json")
	if err != nil {
		panic(fmt.Sprintf("ghfake: template %s: %v", name, err))
	}
	return template{raw: b}
}

// fill decodes a fresh copy of the template, lets set overwrite fields and
// encodes the result.
func (t template) fill(set func(m map[string]any)) []byte {
	var m map[string]any
	if err := json.Unmarshal(t.raw, &m); err != nil {
		panic(fmt.Sprintf("ghfake: decode template: %v", err))
	}
	set(m)
	b, err := json.Marshal(m)
	if err != nil {
		panic(fmt.Sprintf("ghfake: encode body: %v", err))
	}
	return b
}

var (
	tmplRun      = mustTemplate("workflow-run")
	tmplWorkflow = mustTemplate("workflow")
	tmplPull     = mustTemplate("pull-request-simple")
	tmplFile     = mustTemplate("diff-entry")
	tmplMinRepo  = mustTemplate("minimal-repository")
	tmplFullRepo = mustTemplate("full-repository")
)

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func tsOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return ts(*t)
}

func sub(m map[string]any, key string) map[string]any {
	v, _ := m[key].(map[string]any)
	if v == nil {
		v = map[string]any{}
		m[key] = v
	}
	return v
}

// setRepo overwrites the identity fields of a repository object.
func setRepo(m map[string]any, r *Repo) {
	api := "https://api.github.com/repos/" + r.FullName()
	m["id"] = r.id
	m["node_id"] = r.NodeID()
	m["name"] = r.Name
	m["full_name"] = r.FullName()
	m["private"] = r.Private
	m["fork"] = r.Fork
	m["archived"] = r.Archived
	m["disabled"] = false
	m["visibility"] = map[bool]string{true: "private", false: "public"}[r.Private]
	m["default_branch"] = r.DefaultBranch
	m["html_url"] = "https://github.com/" + r.FullName()
	m["url"] = api
	m["pulls_url"] = api + "/pulls{/number}"
	owner := sub(m, "owner")
	owner["login"] = r.Owner
	owner["url"] = "https://api.github.com/users/" + r.Owner
	owner["html_url"] = "https://github.com/" + r.Owner
	owner["type"] = "Organization"
}

func renderMinRepo(r *Repo) []byte {
	return tmplMinRepo.fill(func(m map[string]any) { setRepo(m, r) })
}

func renderFullRepo(r *Repo) []byte {
	return tmplFullRepo.fill(func(m map[string]any) {
		setRepo(m, r)
		if !r.Fork {
			delete(m, "parent")
			delete(m, "source")
		}
		m["template_repository"] = nil
		org := sub(m, "organization")
		org["login"] = r.Owner
	})
}

func renderWorkflow(r *Repo, w Workflow) []byte {
	return tmplWorkflow.fill(func(m map[string]any) {
		m["id"] = w.ID
		m["node_id"] = w.nodeID(r)
		m["name"] = w.Name
		m["path"] = w.Path
		m["state"] = w.State
		m["url"] = fmt.Sprintf("https://api.github.com/repos/%s/actions/workflows/%d", r.FullName(), w.ID)
		m["html_url"] = fmt.Sprintf("https://github.com/%s/blob/%s/%s", r.FullName(), r.DefaultBranch, w.Path)
		m["badge_url"] = fmt.Sprintf("https://github.com/%s/workflows/%s/badge.svg", r.FullName(), w.Name)
	})
}

// renderRun renders run as the runs list shows it (its latest attempt), or
// as GET .../attempts/{n} shows attempt n when attempt > 0.
func renderRun(r *Repo, w Workflow, run *Run, attempt int) []byte {
	latest := attempt == 0
	if latest {
		attempt = len(run.Attempts)
	}
	a := run.Attempts[attempt-1]
	return tmplRun.fill(func(m map[string]any) {
		api := fmt.Sprintf("https://api.github.com/repos/%s/actions/runs/%d", r.FullName(), run.ID)
		m["id"] = run.ID
		m["name"] = w.Name
		m["display_title"] = fmt.Sprintf("%s #%d", w.Name, run.ID)
		m["head_branch"] = run.Branch
		m["path"] = w.Path
		m["run_number"] = run.ID
		m["run_attempt"] = attempt
		m["event"] = run.Event
		m["workflow_id"] = w.ID
		m["workflow_url"] = fmt.Sprintf("https://api.github.com/repos/%s/actions/workflows/%d", r.FullName(), w.ID)
		m["url"] = api
		m["html_url"] = fmt.Sprintf("https://github.com/%s/actions/runs/%d", r.FullName(), run.ID)
		m["jobs_url"] = api + "/jobs"
		m["logs_url"] = api + "/logs"
		m["artifacts_url"] = api + "/artifacts"
		m["cancel_url"] = api + "/cancel"
		m["rerun_url"] = api + "/rerun"
		m["created_at"] = ts(run.Created)
		m["run_started_at"] = ts(a.Started)
		if a.Conclusion == "" {
			m["status"] = "in_progress"
			m["conclusion"] = nil
			m["updated_at"] = ts(a.Started)
		} else {
			m["status"] = "completed"
			m["conclusion"] = a.Conclusion
			m["updated_at"] = ts(a.Completed)
		}
		if a.By != "" {
			sub(m, "triggering_actor")["login"] = a.By
		}
		if attempt > 1 {
			m["previous_attempt_url"] = fmt.Sprintf("%s/attempts/%d", api, attempt-1)
		} else {
			m["previous_attempt_url"] = nil
		}
		m["pull_requests"] = []any{}
		setRepo(sub(m, "repository"), r)
		setRepo(sub(m, "head_repository"), r)
	})
}

func renderPull(r *Repo, p *Pull) []byte {
	return tmplPull.fill(func(m map[string]any) {
		api := fmt.Sprintf("https://api.github.com/repos/%s/pulls/%d", r.FullName(), p.Number)
		m["id"] = int64(r.id)*100000 + int64(p.Number)
		m["node_id"] = p.nodeID(r)
		m["number"] = p.Number
		m["url"] = api
		m["html_url"] = fmt.Sprintf("https://github.com/%s/pull/%d", r.FullName(), p.Number)
		m["diff_url"] = fmt.Sprintf("https://github.com/%s/pull/%d.diff", r.FullName(), p.Number)
		m["patch_url"] = fmt.Sprintf("https://github.com/%s/pull/%d.patch", r.FullName(), p.Number)
		m["commits_url"] = api + "/commits"
		m["title"] = p.Title
		m["body"] = "Changes for " + p.Title
		m["state"] = p.state()
		m["locked"] = false
		m["active_lock_reason"] = nil
		m["draft"] = p.Draft
		m["created_at"] = ts(p.Created)
		m["updated_at"] = ts(p.Updated)
		m["closed_at"] = tsOrNil(p.Closed)
		m["merged_at"] = tsOrNil(p.Merged)
		user := sub(m, "user")
		user["login"] = p.Author
		user["html_url"] = "https://github.com/" + p.Author
		labels := []any{}
		for i, name := range p.Labels {
			labels = append(labels, map[string]any{
				"id": 1000 + i, "node_id": fmt.Sprintf("LA_%d", 1000+i),
				"url":  fmt.Sprintf("https://api.github.com/repos/%s/labels/%s", r.FullName(), name),
				"name": name, "description": nil, "color": "ededed", "default": false,
			})
		}
		m["labels"] = labels
		sub(m, "head")["ref"] = fmt.Sprintf("change-%d", p.Number)
		sub(m, "base")["ref"] = r.DefaultBranch
		setRepo(sub(sub(m, "head"), "repo"), r)
		setRepo(sub(sub(m, "base"), "repo"), r)
	})
}

// renderFullPull renders GET /repos/{o}/{r}/pulls/{n}: the list item plus
// the counts only the single pull request carries.
func renderFullPull(r *Repo, p *Pull) []byte {
	var m map[string]any
	_ = json.Unmarshal(p.body, &m)
	m["changed_files"] = len(p.Files)
	m["merged"] = p.Merged != nil
	m["commits"] = 1
	m["additions"] = len(p.Files)
	m["deletions"] = 0
	b, _ := json.Marshal(m)
	return b
}

func renderFile(r *Repo, f File) []byte {
	return tmplFile.fill(func(m map[string]any) {
		m["filename"] = f.Name
		status := f.Status
		if status == "" {
			status = "modified"
			if f.Previous != "" {
				status = "renamed"
			}
		}
		m["status"] = status
		if f.Previous != "" {
			m["previous_filename"] = f.Previous
		}
		m["blob_url"] = fmt.Sprintf("https://github.com/%s/blob/%s/%s", r.FullName(), m["sha"], f.Name)
		m["raw_url"] = fmt.Sprintf("https://github.com/%s/raw/%s/%s", r.FullName(), m["sha"], f.Name)
		m["contents_url"] = fmt.Sprintf("https://api.github.com/repos/%s/contents/%s?ref=%s", r.FullName(), f.Name, m["sha"])
	})
}

package ghfake

import (
	"fmt"
	"path"
	"strings"
	"time"
)

// Repo is a repository with its workflows, runs and pull requests.
type Repo struct {
	Owner, Name   string
	DefaultBranch string
	Archived      bool
	Fork          bool
	Private       bool

	id        int
	workflows []Workflow
	runs      []*Run
	pulls     []*Pull

	full, min []byte
}

// FullName is owner/name.
func (r *Repo) FullName() string { return r.Owner + "/" + r.Name }

// NodeID is the repository's global (GraphQL) ID.
func (r *Repo) NodeID() string { return fmt.Sprintf("R_fake%d", r.id) }

// nodeID is the workflow's global (GraphQL) ID.
func (w Workflow) nodeID(r *Repo) string { return fmt.Sprintf("W_fake%d_%d", r.id, w.ID) }

// SetWorkflowState changes a workflow's state ("active", "disabled_manually", …).
func (s *Server) SetWorkflowState(r *Repo, id int64, state string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range r.workflows {
		if r.workflows[i].ID == id {
			r.workflows[i].State = state
		}
	}
}

// nodeID is the pull request's global (GraphQL) ID.
func (p *Pull) nodeID(r *Repo) string { return fmt.Sprintf("PR_fake%d_%d", r.id, p.Number) }

// Workflow is a GitHub Actions workflow.
type Workflow struct {
	ID   int64
	Name string
	Path string
	// State is "active" unless set ("disabled_manually", …).
	State string
}

// Attempt is one attempt of a run. An empty Conclusion means in progress.
type Attempt struct {
	Conclusion string
	Started    time.Time
	Completed  time.Time
	// By is who started the attempt (triggering_actor); the example's
	// "octocat" when empty. The run's actor stays attempt 1's starter.
	By string
}

// Run is a workflow run; its attempts are in order, the last one is what
// the runs list shows.
type Run struct {
	ID         int64
	WorkflowID int64
	Branch     string
	// Event defaults to "push".
	Event    string
	Created  time.Time
	Attempts []Attempt

	list     []byte
	attempts [][]byte
}

// Pull is a pull request.
type Pull struct {
	Number  int
	Title   string
	Author  string
	Draft   bool
	Labels  []string
	Created time.Time
	Updated time.Time
	Closed  *time.Time
	Merged  *time.Time
	Files   []File
	// Reviews are the submitted reviews, oldest first.
	Reviews []Review
	// Head is the head commit's SHA; by default it changes with Files.
	Head string

	body  []byte
	files [][]byte
}

func (p *Pull) state() string {
	if p.Closed != nil {
		return "closed"
	}
	return "open"
}

// Review is one submitted review of a pull request; an empty By is a
// deleted account (GraphQL's author: null).
type Review struct {
	By string
	At time.Time
}

// File is a changed file of a pull request; Previous is set for renames.
type File struct {
	Name     string
	Previous string
	Status   string
}

// AddRepo adds a repository named owner/name and returns it for adding
// workflows, runs and pulls. Repos of the same owner are listed by
// GET /orgs/{owner}/repos, newest first.
func (s *Server) AddRepo(fullName string, r Repo) *Repo {
	owner, name, ok := strings.Cut(fullName, "/")
	if !ok {
		panic("ghfake: repo name must be owner/name: " + fullName)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r.Owner, r.Name = owner, name
	if r.DefaultBranch == "" {
		r.DefaultBranch = "main"
	}
	r.id = 1000 + len(s.order)
	rp := &r
	rp.full, rp.min = renderFullRepo(rp), renderMinRepo(rp)
	s.repos[strings.ToLower(fullName)] = rp
	s.order = append(s.order, rp)
	return rp
}

// Repo returns a repository added earlier.
func (s *Server) Repo(fullName string) *Repo {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.repos[strings.ToLower(fullName)]
}

// AddWorkflow adds a workflow to repo r.
func (s *Server) AddWorkflow(r *Repo, w Workflow) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if w.State == "" {
		w.State = "active"
	}
	r.workflows = append(r.workflows, w)
}

// AddRun adds a run of one of r's workflows.
func (s *Server) AddRun(r *Repo, run Run) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w, ok := r.workflow(run.WorkflowID)
	if !ok {
		panic(fmt.Sprintf("ghfake: run %d: no workflow %d in %s", run.ID, run.WorkflowID, r.FullName()))
	}
	if run.Event == "" {
		run.Event = "push"
	}
	if run.Branch == "" {
		run.Branch = r.DefaultBranch
	}
	if len(run.Attempts) == 0 {
		panic(fmt.Sprintf("ghfake: run %d has no attempts", run.ID))
	}
	rp := &run
	rp.list = renderRun(r, w, rp, 0)
	for i := range rp.Attempts {
		rp.attempts = append(rp.attempts, renderRun(r, w, rp, i+1))
	}
	r.runs = append(r.runs, rp)
}

// AddPull adds (or replaces, by number) a pull request of r.
func (s *Server) AddPull(r *Repo, p Pull) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.Updated.IsZero() {
		p.Updated = p.Created
	}
	if p.Author == "" {
		p.Author = "octocat"
	}
	pp := &p
	pp.body = renderPull(r, pp)
	for _, f := range p.Files {
		pp.files = append(pp.files, renderFile(r, f))
	}
	for i, old := range r.pulls {
		if old.Number == p.Number {
			r.pulls[i] = pp
			return
		}
	}
	r.pulls = append(r.pulls, pp)
}

func (r *Repo) workflow(id int64) (Workflow, bool) {
	for _, w := range r.workflows {
		if w.ID == id {
			return w, true
		}
	}
	return Workflow{}, false
}

// workflowByRef finds a workflow by id or by file name, as the API's
// {workflow_id} path parameter accepts both.
func (r *Repo) workflowByRef(ref string) (Workflow, bool) {
	for _, w := range r.workflows {
		if fmt.Sprint(w.ID) == ref || path.Base(w.Path) == ref {
			return w, true
		}
	}
	return Workflow{}, false
}

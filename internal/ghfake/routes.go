package ghfake

import (
	"bytes"
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// route serves one GET; it returns the status, the body and the Link header.
func (s *Server) route(r *http.Request, path string) (int, []byte, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	parts := strings.Split(strings.Trim(path, "/"), "/")
	q := r.URL.Query()
	switch {
	case len(parts) == 3 && parts[0] == "orgs" && parts[2] == "repos":
		repos := s.sortedRepos(parts[1])
		if len(repos) == 0 {
			return http.StatusNotFound, nil, ""
		}
		var items [][]byte
		for _, rp := range repos {
			switch q.Get("type") {
			case "sources":
				if rp.Fork {
					continue
				}
			case "forks":
				if !rp.Fork {
					continue
				}
			case "public", "private":
				if rp.Private != (q.Get("type") == "private") {
					continue
				}
			}
			items = append(items, rp.min)
		}
		return s.page(r, items, "", r.URL.Path, len(items))
	case len(parts) == 1 && parts[0] == "user":
		return http.StatusOK, []byte(`{"login":"` + s.login() + `","id":1,"node_id":"U_fake1","type":"User","site_admin":false}`), ""
	case len(parts) == 2 && parts[0] == "user" && parts[1] == "orgs":
		var items [][]byte
		for i, org := range s.owners() {
			items = append(items, fmt.Appendf(nil, `{"login":%q,"id":%d,"node_id":"O_fake%d","url":"https://api.github.com/orgs/%s","description":null}`, org, 500+i, 500+i, org))
		}
		return s.page(r, items, "", r.URL.Path, len(items))
	case len(parts) == 2 && parts[0] == "user" && parts[1] == "repos":
		// Every repository the token can see, oldest first as GitHub's
		// default sort=full_name would not promise: callers must page.
		var items [][]byte
		for _, rp := range s.order {
			items = append(items, rp.min)
		}
		return s.page(r, items, "", r.URL.Path, len(items))
	case len(parts) == 2 && parts[0] == "orgs":
		for i, org := range s.owners() {
			if strings.EqualFold(org, parts[1]) {
				return http.StatusOK, fmt.Appendf(nil, `{"login":%q,"id":%d,"node_id":"O_fake%d","type":"Organization"}`, org, 500+i, 500+i), ""
			}
		}
		return http.StatusNotFound, nil, ""
	case len(parts) >= 3 && parts[0] == "repos":
		rp := s.repos[strings.ToLower(parts[1]+"/"+parts[2])]
		if rp == nil {
			return http.StatusNotFound, nil, ""
		}
		return s.repoRoute(r, rp, parts[3:], q)
	case len(parts) >= 2 && parts[0] == "repositories":
		// The form GitHub's Link headers use for a repository's lists.
		for _, rp := range s.order {
			if strconv.Itoa(rp.id) == parts[1] {
				return s.repoRoute(r, rp, parts[2:], q)
			}
		}
		return http.StatusNotFound, nil, ""
	}
	return http.StatusNotFound, nil, ""
}

func (s *Server) repoRoute(r *http.Request, rp *Repo, rest []string, q url.Values) (int, []byte, string) {
	// Lists of a repository link their pages as /repositories/{id}/…, as
	// api.github.com does, not by owner and name.
	linkPath := s.opts.Prefix + "/repositories/" + strconv.Itoa(rp.id) + "/" + strings.Join(rest, "/")
	pg := func(items [][]byte, wrap string) (int, []byte, string) {
		return s.page(r, items, wrap, linkPath, len(items))
	}
	switch {
	case len(rest) == 0:
		return http.StatusOK, rp.full, ""
	case len(rest) == 2 && rest[0] == "actions" && rest[1] == "workflows":
		var items [][]byte
		for _, w := range rp.workflows {
			items = append(items, renderWorkflow(rp, w))
		}
		return pg(items, "workflows")
	case len(rest) == 4 && rest[0] == "actions" && rest[1] == "workflows" && rest[3] == "runs":
		w, ok := rp.workflowByRef(rest[2])
		if !ok {
			return http.StatusNotFound, nil, ""
		}
		return s.runs(r, rp, q, w.ID, linkPath)
	case len(rest) == 2 && rest[0] == "actions" && rest[1] == "runs":
		return s.runs(r, rp, q, 0, linkPath)
	case len(rest) == 5 && rest[0] == "actions" && rest[1] == "runs" && rest[3] == "attempts":
		id, _ := strconv.ParseInt(rest[2], 10, 64)
		n, _ := strconv.Atoi(rest[4])
		for _, run := range rp.runs {
			if run.ID == id && n >= 1 && n <= len(run.attempts) {
				return http.StatusOK, run.attempts[n-1], ""
			}
		}
		return http.StatusNotFound, nil, ""
	case len(rest) == 1 && rest[0] == "commits":
		// Listing commits needs Contents: Read-only; one commit is enough
		// for anyone who asks for a page of one.
		return pg([][]byte{fmt.Appendf(nil, `{"sha":"%040d","url":"https://api.github.com/repos/%s/commits/%040d"}`, rp.id, rp.FullName(), rp.id)}, "")
	case len(rest) == 1 && rest[0] == "pulls":
		items := s.pulls(rp, q)
		if cmp.Or(q.Get("state"), "open") == "open" {
			s.openListed(rp)
		}
		return pg(items, "")
	case len(rest) == 2 && rest[0] == "pulls":
		n, _ := strconv.Atoi(rest[1])
		for _, p := range rp.pulls {
			if p.Number == n {
				return http.StatusOK, renderFullPull(rp, p), ""
			}
		}
		return http.StatusNotFound, nil, ""
	case len(rest) == 3 && rest[0] == "pulls" && rest[2] == "files":
		n, _ := strconv.Atoi(rest[1])
		for _, p := range rp.pulls {
			if p.Number == n {
				s.servedFiles(rp, n)
				// GitHub lists at most 3,000 files of a pull request, silently.
				return s.page(r, p.files, "", linkPath, MaxPullFiles)
			}
		}
		return http.StatusNotFound, nil, ""
	}
	return http.StatusNotFound, nil, ""
}

// runFilters are the query parameters that make a runs list a search,
// which GitHub answers with at most MaxFilteredRuns results.
var runFilters = []string{"actor", "branch", "check_suite_id", "created", "event", "head_sha", "status"}

func (s *Server) runs(r *http.Request, rp *Repo, q url.Values, workflowID int64, linkPath string) (int, []byte, string) {
	created, err := parseRange(q.Get("created"))
	if err != nil {
		return http.StatusUnprocessableEntity, nil, ""
	}
	runs := slices.Clone(rp.runs)
	slices.SortFunc(runs, func(a, b *Run) int {
		return cmp.Or(b.Created.Compare(a.Created), cmp.Compare(b.ID, a.ID))
	})
	var items [][]byte
	for _, run := range runs {
		last := run.Attempts[len(run.Attempts)-1]
		switch {
		case workflowID != 0 && run.WorkflowID != workflowID,
			q.Get("branch") != "" && run.Branch != q.Get("branch"),
			q.Get("event") != "" && run.Event != q.Get("event"),
			!created(run.Created):
			continue
		}
		switch st := q.Get("status"); st {
		case "":
		case "completed":
			if last.Conclusion == "" {
				continue
			}
		case "in_progress":
			if last.Conclusion != "" {
				continue
			}
		default:
			if last.Conclusion != st {
				continue
			}
		}
		items = append(items, run.list)
	}
	reachable := len(items)
	for _, f := range runFilters {
		if q.Has(f) {
			reachable = MaxFilteredRuns
		}
	}
	return s.page(r, items, "workflow_runs", linkPath, reachable)
}

func (s *Server) pulls(rp *Repo, q url.Values) [][]byte {
	state := cmp.Or(q.Get("state"), "open")
	sortBy := cmp.Or(q.Get("sort"), "created")
	dir := q.Get("direction")
	if dir == "" {
		// GitHub's default: descending for created, ascending otherwise.
		dir = map[bool]string{true: "desc", false: "asc"}[sortBy == "created"]
	}
	pulls := slices.Clone(rp.pulls)
	slices.SortFunc(pulls, func(a, b *Pull) int {
		c := cmp.Compare(a.Number, b.Number)
		if sortBy == "updated" {
			c = cmp.Or(a.Updated.Compare(b.Updated), c)
		} else {
			c = cmp.Or(a.Created.Compare(b.Created), c)
		}
		if dir == "desc" {
			return -c
		}
		return c
	})
	var items [][]byte
	for _, p := range pulls {
		if state != "all" && p.state() != state {
			continue
		}
		items = append(items, p.body)
	}
	return items
}

// page slices items by per_page/page and writes the body as a JSON array,
// or as {"total_count": n, wrap: [...]} when wrap is set, with GitHub's Link
// header on linkPath. Only the first reachable items can be paged to, as
// GitHub caps some lists; total_count still counts them all.
func (s *Server) page(r *http.Request, items [][]byte, wrap, linkPath string, reachable int) (int, []byte, string) {
	q := r.URL.Query()
	per, err := strconv.Atoi(cmp.Or(q.Get("per_page"), "30"))
	if err != nil || per < 1 {
		per = 30
	}
	per = min(per, 100)
	pg, err := strconv.Atoi(cmp.Or(q.Get("page"), "1"))
	if err != nil || pg < 1 {
		pg = 1
	}
	total := len(items)
	items = items[:min(len(items), reachable)]
	last := max(1, (len(items)+per-1)/per)
	lo, hi := min((pg-1)*per, len(items)), min(pg*per, len(items))

	var b bytes.Buffer
	if wrap != "" {
		fmt.Fprintf(&b, `{"total_count":%d,%q:`, total, wrap)
	}
	b.WriteByte('[')
	for i, it := range items[lo:hi] {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(it)
	}
	b.WriteByte(']')
	if wrap != "" {
		b.WriteByte('}')
	}
	return http.StatusOK, b.Bytes(), link(r, linkPath, pg, last)
}

func link(r *http.Request, path string, pg, last int) string {
	if last <= 1 {
		return ""
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	at := func(n int, rel string) string {
		u := url.URL{Scheme: scheme, Host: r.Host, Path: path}
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(n))
		u.RawQuery = q.Encode()
		return fmt.Sprintf("<%s>; rel=%q", u.String(), rel)
	}
	var rels []string
	if pg > 1 {
		rels = append(rels, at(pg-1, "prev"))
	}
	if pg < last {
		rels = append(rels, at(pg+1, "next"), at(last, "last"))
	}
	if pg > 1 {
		rels = append(rels, at(1, "first"))
	}
	return strings.Join(rels, ", ")
}

// parseRange parses GitHub's date-range qualifier (">=2026-01-02T03:04:05Z",
// "<2026-01-02", "A..B") into a predicate.
func parseRange(v string) (func(time.Time) bool, error) {
	if v == "" {
		return func(time.Time) bool { return true }, nil
	}
	parse := func(s string) (time.Time, error) {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t, nil
		}
		return time.Parse(time.DateOnly, s)
	}
	if a, b, ok := strings.Cut(v, ".."); ok {
		from, err1 := parse(a)
		to, err2 := parse(b)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("bad range %q", v)
		}
		return func(t time.Time) bool { return !t.Before(from) && !t.After(to) }, nil
	}
	for _, op := range []string{">=", "<=", ">", "<"} {
		if rest, ok := strings.CutPrefix(v, op); ok {
			at, err := parse(rest)
			if err != nil {
				return nil, err
			}
			return map[string]func(time.Time) bool{
				">=": func(t time.Time) bool { return !t.Before(at) },
				"<=": func(t time.Time) bool { return !t.After(at) },
				">":  func(t time.Time) bool { return t.After(at) },
				"<":  func(t time.Time) bool { return t.Before(at) },
			}[op], nil
		}
	}
	at, err := parse(v)
	if err != nil {
		return nil, err
	}
	return func(t time.Time) bool { return t.Equal(at) }, nil
}

// owners are the distinct owners of the repositories, in the order added:
// the organisations the token belongs to. The caller holds s.mu.
func (s *Server) owners() []string {
	var out []string
	for _, rp := range s.order {
		if !slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, rp.Owner) }) {
			out = append(out, rp.Owner)
		}
	}
	return out
}

// login is the user the token belongs to. The caller holds s.mu.
func (s *Server) login() string { return cmp.Or(s.opts.Login, "octocat") }

package ghfake

import (
	"bytes"
	"cmp"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// The GraphQL side of the fake. Every query is parsed and validated against
// GitHub's published schema (npm @octokit/graphql-schema@15.26.1, MIT; see
// testdata/README.md), so a field or argument the real API does not have
// fails here as it would there. It then runs on the fake's data with the
// real API's limits: first/last required on connections and at most 100,
// at most 100 IDs for nodes(ids:), at most 500,000 nodes a query, the
// documented point cost taken from a graphql rate limit of its own, and at
// most 3,000 files of a pull request. Only the fields opsdrag reads are
// resolved; any other field valid in the schema resolves to null.

// Limits of GitHub's GraphQL API.
const (
	MaxGraphQLNodes = 500000
	maxPage         = 100
)

//go:embed testdata/github-schema.graphql.gz
var schemaGz []byte

var loadSchema = sync.OnceValues(func() (*ast.Schema, error) {
	z, err := gzip.NewReader(bytes.NewReader(schemaGz))
	if err != nil {
		return nil, err
	}
	sdl, err := io.ReadAll(z)
	if err != nil {
		return nil, err
	}
	doc, err := parser.ParseSchemas(validator.Prelude, &ast.Source{Name: "github-schema.graphql", Input: string(sdl)})
	if err != nil {
		return nil, err
	}
	// The published schema defines EnterpriseOwnerInfo.repositoryDeployKeySetting
	// twice; keep the first definition of each field.
	for _, d := range doc.Definitions {
		seen := map[string]bool{}
		d.Fields = slices.DeleteFunc(d.Fields, func(f *ast.FieldDefinition) bool {
			dup := seen[f.Name]
			seen[f.Name] = true
			return dup
		})
	}
	s, gerr := validator.ValidateSchemaDocument(doc)
	if gerr != nil {
		return nil, gerr
	}
	return s, nil
})

// ValidateQuery checks a GraphQL document against GitHub's schema and
// GitHub's static limits (pagination bounds, node limit) for the given
// variables.
func ValidateQuery(query string, vars map[string]any) error {
	schema, err := loadSchema()
	if err != nil {
		return fmt.Errorf("load GitHub's schema: %w", err)
	}
	doc, errs := gqlparser.LoadQueryWithRules(schema, query, nil)
	if len(errs) > 0 {
		return errs
	}
	if vars == nil {
		vars = map[string]any{}
	}
	for _, op := range doc.Operations {
		if op.Operation != ast.Query {
			return fmt.Errorf("operation %q is a %s, not a query", op.Name, op.Operation)
		}
		if _, _, err := measure(op.SelectionSet, normalise(vars).(map[string]any), 1); err != nil {
			return err
		}
	}
	return nil
}

// GraphQLPath is where the GraphQL endpoint is served: /graphql next to
// api.github.com's REST root, /api/graphql on GitHub Enterprise Server.
func (s *Server) GraphQLPath() string {
	if p, ok := strings.CutSuffix(s.opts.Prefix, "/v3"); ok {
		return p + "/graphql"
	}
	return s.opts.Prefix + "/graphql"
}

type gqlError struct {
	Type    string `json:"type,omitempty"`
	Path    []any  `json:"path,omitempty"`
	Message string `json:"message"`
}

// serveGraphQL answers POST /graphql. The caller holds no lock.
func (s *Server) serveGraphQL(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Query     string         `json:"query"`
		Variables map[string]any `json:"variables"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		s.writeGraphQL(w, nil, []gqlError{{Message: "Problems parsing JSON"}}, 0)
		return
	}
	schema, err := loadSchema()
	if err != nil {
		s.t.Errorf("ghfake: %v", err)
		s.writeGraphQL(w, nil, []gqlError{{Message: err.Error()}}, 0)
		return
	}
	doc, errs := gqlparser.LoadQueryWithRules(schema, req.Query, nil)
	if len(errs) > 0 {
		var out []gqlError
		for _, e := range errs {
			out = append(out, gqlError{Type: "GRAPHQL_VALIDATION_FAILED", Message: e.Message})
		}
		s.writeGraphQL(w, nil, out, 0)
		return
	}
	if len(doc.Operations) != 1 || doc.Operations[0].Operation != ast.Query {
		s.t.Errorf("ghfake: GraphQL %q: opsdrag must only ever send queries", req.Query)
		s.writeGraphQL(w, nil, []gqlError{{Message: "only queries are served"}}, 0)
		return
	}
	op := doc.Operations[0]
	vars := normalise(req.Variables).(map[string]any)
	if vars == nil {
		vars = map[string]any{}
	}
	for _, d := range op.VariableDefinitions {
		if _, ok := vars[d.Variable]; !ok && d.DefaultValue != nil {
			vars[d.Variable], _ = d.DefaultValue.Value(nil)
		}
	}
	requests, _, err := measure(op.SelectionSet, vars, 1)
	if err != nil {
		s.writeGraphQL(w, nil, []gqlError{{Type: "MAX_NODE_LIMIT_EXCEEDED", Message: err.Error()}}, 0)
		return
	}
	cost := max(1, int(math.Round(float64(requests)/100)))

	s.mu.Lock()
	ex := &gqlExec{s: s, vars: vars, cost: cost}
	data := ex.object(gqlRoot{}, op.SelectionSet, nil)
	s.mu.Unlock()
	s.writeGraphQL(w, data, ex.errors, cost)
}

func (s *Server) writeGraphQL(w http.ResponseWriter, data any, errs []gqlError, cost int) {
	s.graphqlRateHeaders(w.Header(), cost)
	body := map[string]any{"data": data}
	if len(errs) > 0 {
		body["errors"] = errs
	}
	b, _ := json.Marshal(body)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

// graphqlRateHeaders spends cost points of the GraphQL limit, which is
// separate from REST's.
func (s *Server) graphqlRateHeaders(h http.Header, cost int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gqlReset.IsZero() || !s.now().Before(s.gqlReset) {
		s.gqlRemaining, s.gqlReset = 5000, s.now().Add(time.Hour).Truncate(time.Second)
	}
	s.gqlRemaining = max(s.gqlRemaining-cost, 0)
	h.Set("X-RateLimit-Limit", "5000")
	h.Set("X-RateLimit-Remaining", strconv.Itoa(s.gqlRemaining))
	h.Set("X-RateLimit-Used", strconv.Itoa(5000-s.gqlRemaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(s.gqlReset.Unix(), 10))
	h.Set("X-RateLimit-Resource", "graphql")
}

// GraphQLRemaining is what is left of the GraphQL rate limit.
func (s *Server) GraphQLRemaining() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gqlReset.IsZero() {
		return 5000
	}
	return s.gqlRemaining
}

// normalise turns JSON numbers into int64 where they are whole.
func normalise(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			v[k] = normalise(x)
		}
		return v
	case []any:
		for i, x := range v {
			v[i] = normalise(x)
		}
		return v
	case float64:
		if v == math.Trunc(v) {
			return int64(v)
		}
	}
	return v
}

func toInt(v any) (int, bool) {
	switch v := v.(type) {
	case int64:
		return int(v), true
	case int:
		return v, true
	}
	return 0, false
}

// measure walks a selection set as GitHub's limits do: every connection
// needs first or last (1–100) and counts first × the enclosing multiplier
// towards the node limit; requests is the sum the point cost divides by 100.
func measure(set ast.SelectionSet, vars map[string]any, mult int) (requests, nodes int, err error) {
	for _, sel := range set {
		var child ast.SelectionSet
		m := mult
		switch sel := sel.(type) {
		case *ast.Field:
			child = sel.SelectionSet
			if sel.Definition == nil {
				continue
			}
			args := sel.ArgumentMap(vars)
			typ := sel.Definition.Type.Name()
			switch {
			case strings.HasSuffix(typ, "Connection"):
				first, okF := toInt(args["first"])
				last, okL := toInt(args["last"])
				n := max(first, last)
				if !okF && !okL {
					return 0, 0, fmt.Errorf("you must provide a `first` or `last` value to properly paginate the `%s` connection", sel.Name)
				}
				if n < 0 || n > maxPage {
					return 0, 0, fmt.Errorf("requesting %d records on the `%s` connection exceeds the `first` limit of %d records", n, sel.Name, maxPage)
				}
				requests += mult
				m = mult * n
				nodes += m
			case sel.Name == "nodes" && args["ids"] != nil:
				ids, _ := args["ids"].([]any)
				if len(ids) > maxPage {
					return 0, 0, fmt.Errorf("you may not ask for more than %d node IDs at once (%d)", maxPage, len(ids))
				}
				m = mult * len(ids)
			}
		case *ast.InlineFragment:
			child = sel.SelectionSet
		case *ast.FragmentSpread:
			child = sel.Definition.SelectionSet
		}
		r, n, err := measure(child, vars, m)
		if err != nil {
			return 0, 0, err
		}
		requests, nodes = requests+r, nodes+n
		if nodes > MaxGraphQLNodes {
			return 0, 0, fmt.Errorf("this query requests up to %d possible nodes which exceeds the maximum limit of %d", nodes, MaxGraphQLNodes)
		}
	}
	return requests, nodes, nil
}

// gqlExec runs one query against the fake's data. The caller holds s.mu.
type gqlExec struct {
	s      *Server
	vars   map[string]any
	cost   int
	errors []gqlError
}

// The objects a query can reach.
type (
	gqlRoot      struct{}
	gqlRateLimit struct{ cost, remaining int }
	gqlPageInfo  struct {
		hasNext bool
		end     string
	}
	gqlConn struct {
		total int
		items []any
		page  gqlPageInfo
	}
	gqlPull struct {
		r *Repo
		p *Pull
	}
	gqlLabel    string
	gqlReview   Review
	gqlFile     File
	gqlActor    string
	gqlWorkflow struct {
		r *Repo
		w Workflow
	}
)

func typeName(obj any) string {
	switch obj.(type) {
	case gqlRoot:
		return "Query"
	case *Repo:
		return "Repository"
	case gqlPull:
		return "PullRequest"
	case gqlLabel:
		return "Label"
	case gqlReview:
		return "PullRequestReview"
	case gqlFile:
		return "PullRequestChangedFile"
	case gqlActor:
		return "User"
	case gqlRateLimit:
		return "RateLimit"
	case gqlPageInfo:
		return "PageInfo"
	case gqlWorkflow:
		return "Workflow"
	}
	return ""
}

func (ex *gqlExec) object(obj any, set ast.SelectionSet, path []any) map[string]any {
	out := map[string]any{}
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			if !included(sel.Directives, ex.vars) {
				continue
			}
			key := cmp.Or(sel.Alias, sel.Name)
			if sel.Name == "__typename" {
				out[key] = typeName(obj)
				continue
			}
			at := append(slices.Clone(path), key)
			v, err := ex.resolve(obj, sel.Name, sel.ArgumentMap(ex.vars), at)
			if err != nil {
				ex.errors = append(ex.errors, *err)
				out[key] = nil
				continue
			}
			out[key] = ex.value(v, sel.SelectionSet, at)
		case *ast.InlineFragment:
			if (sel.TypeCondition == "" || sel.TypeCondition == typeName(obj)) && included(sel.Directives, ex.vars) {
				maps.Copy(out, ex.object(obj, sel.SelectionSet, path))
			}
		case *ast.FragmentSpread:
			if sel.Definition.TypeCondition == typeName(obj) && included(sel.Directives, ex.vars) {
				maps.Copy(out, ex.object(obj, sel.Definition.SelectionSet, path))
			}
		}
	}
	return out
}

// included applies @include and @skip.
func included(ds ast.DirectiveList, vars map[string]any) bool {
	if d := ds.ForName("include"); d != nil {
		if v, _ := d.ArgumentMap(vars)["if"].(bool); !v {
			return false
		}
	}
	if d := ds.ForName("skip"); d != nil {
		if v, _ := d.ArgumentMap(vars)["if"].(bool); v {
			return false
		}
	}
	return true
}

func (ex *gqlExec) value(v any, set ast.SelectionSet, path []any) any {
	switch v := v.(type) {
	case nil, string, bool, int, int64, float64:
		return v
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			if x == nil {
				continue
			}
			out[i] = ex.value(x, set, append(slices.Clone(path), i))
		}
		return out
	}
	return ex.object(v, set, path)
}

func (ex *gqlExec) resolve(obj any, field string, args map[string]any, path []any) (any, *gqlError) {
	s := ex.s
	switch o := obj.(type) {
	case gqlRoot:
		switch field {
		case "rateLimit":
			return gqlRateLimit{cost: ex.cost, remaining: s.gqlRemaining}, nil
		case "node":
			id, _ := args["id"].(string)
			n := ex.node(id, path)
			if n == nil {
				return nil, nil
			}
			return n, nil
		case "nodes":
			ids, _ := args["ids"].([]any)
			out := make([]any, len(ids))
			for i, id := range ids {
				s, _ := id.(string)
				if n := ex.node(s, append(slices.Clone(path), i)); n != nil {
					out[i] = n
				}
			}
			return out, nil
		}
	case gqlRateLimit:
		switch field {
		case "cost":
			return o.cost, nil
		case "remaining":
			return o.remaining, nil
		case "limit":
			return 5000, nil
		case "used":
			return 5000 - o.remaining, nil
		case "resetAt":
			return ts(s.gqlReset), nil
		}
	case *Repo:
		switch field {
		case "id":
			return o.NodeID(), nil
		case "name":
			return o.Name, nil
		case "nameWithOwner":
			return o.FullName(), nil
		case "pullRequests":
			if f := s.faultLocked("/repos/"+o.FullName()+"/pulls", ""); f != nil {
				return nil, faultError(f, path)
			}
			return ex.pullRequests(o, args), nil
		}
	case gqlPull:
		p := o.p
		switch field {
		case "id":
			return p.nodeID(o.r), nil
		case "number":
			return p.Number, nil
		case "title":
			return p.Title, nil
		case "url":
			return fmt.Sprintf("https://github.com/%s/pull/%d", o.r.FullName(), p.Number), nil
		case "isDraft":
			return p.Draft, nil
		case "state":
			return strings.ToUpper(p.gqlState()), nil
		case "createdAt":
			return ts(p.Created), nil
		case "updatedAt":
			return ts(p.Updated), nil
		case "mergedAt":
			return tsOrNil(p.Merged), nil
		case "closedAt":
			return tsOrNil(p.Closed), nil
		case "author":
			return gqlActor(p.Author), nil
		case "changedFiles":
			return len(p.Files), nil
		case "headRefOid":
			return p.head(), nil
		case "baseRefOid":
			return "b" + hash([]byte(o.r.DefaultBranch))[:39], nil
		case "labels":
			var items []any
			for _, l := range p.Labels {
				items = append(items, gqlLabel(l))
			}
			return paginate(items, len(items), args), nil
		case "reviews":
			var items []any
			for _, r := range p.Reviews {
				items = append(items, gqlReview(r))
			}
			return paginate(items, len(items), args), nil
		case "files":
			if f := s.faultLocked(fmt.Sprintf("/repos/%s/pulls/%d/files", o.r.FullName(), p.Number), ""); f != nil {
				return nil, faultError(f, path)
			}
			s.servedFiles(o.r, p.Number)
			var items []any
			for _, f := range p.Files[:min(len(p.Files), MaxPullFiles)] {
				items = append(items, gqlFile(f))
			}
			// totalCount stops at the cap too; changedFiles does not.
			return paginate(items, len(items), args), nil
		}
	case gqlWorkflow:
		switch field {
		case "id":
			return o.w.nodeID(o.r), nil
		case "databaseId":
			return o.w.ID, nil
		case "name":
			return o.w.Name, nil
		case "state":
			return strings.ToUpper(o.w.State), nil
		}
	case gqlActor:
		if field == "login" {
			return string(o), nil
		}
	case gqlLabel:
		if field == "name" {
			return string(o), nil
		}
	case gqlReview:
		switch field {
		case "author":
			if o.By == "" {
				return nil, nil
			}
			return gqlActor(o.By), nil
		case "submittedAt":
			return ts(o.At), nil
		}
	case gqlFile:
		switch field {
		case "path":
			return o.Name, nil
		case "changeType":
			switch {
			case o.Previous != "":
				return "RENAMED", nil
			case o.Status == "added":
				return "ADDED", nil
			case o.Status == "removed":
				return "DELETED", nil
			}
			return "MODIFIED", nil
		}
	case gqlConn:
		switch field {
		case "totalCount":
			return o.total, nil
		case "nodes":
			return o.items, nil
		case "pageInfo":
			return o.page, nil
		}
	case gqlPageInfo:
		switch field {
		case "hasNextPage":
			return o.hasNext, nil
		case "endCursor":
			if o.end == "" {
				return nil, nil
			}
			return o.end, nil
		case "hasPreviousPage":
			return false, nil
		}
	}
	return nil, nil
}

// node finds a repository or pull request by global ID.
func (ex *gqlExec) node(id string, path []any) any {
	for _, r := range ex.s.order {
		if r.NodeID() == id {
			return r
		}
		for _, w := range r.workflows {
			if w.nodeID(r) == id {
				if f := ex.s.faultLocked("/repos/"+r.FullName()+"/actions/workflows", ""); f != nil {
					ex.errors = append(ex.errors, *faultError(f, path))
					return nil
				}
				return gqlWorkflow{r: r, w: w}
			}
		}
		for _, p := range r.pulls {
			if p.nodeID(r) == id {
				return gqlPull{r: r, p: p}
			}
		}
	}
	ex.errors = append(ex.errors, gqlError{Type: "NOT_FOUND", Path: path,
		Message: fmt.Sprintf("Could not resolve to a node with the global id of '%s'", id)})
	return nil
}

func faultError(f *Fault, path []any) *gqlError {
	typ := "FORBIDDEN"
	if f.Status == http.StatusNotFound {
		typ = "NOT_FOUND"
	}
	return &gqlError{Type: typ, Path: path, Message: cmp.Or(f.Message, http.StatusText(f.Status))}
}

func (p *Pull) gqlState() string {
	switch {
	case p.Merged != nil:
		return "merged"
	case p.Closed != nil:
		return "closed"
	}
	return "open"
}

// head is the pull request's head commit: it changes when its files do.
func (p *Pull) head() string {
	if p.Head != "" {
		return p.Head
	}
	var b strings.Builder
	fmt.Fprint(&b, p.Number)
	for _, f := range p.Files {
		b.WriteString("\n" + f.Previous + "\x00" + f.Name)
	}
	return hash([]byte(b.String()))
}

// pullRequests lists a repository's pull requests by state and order.
func (ex *gqlExec) pullRequests(r *Repo, args map[string]any) gqlConn {
	states := map[string]bool{}
	if list, ok := args["states"].([]any); ok {
		for _, st := range list {
			if s, ok := st.(string); ok {
				states[strings.ToLower(s)] = true
			}
		}
	}
	field, desc := "CREATED_AT", false
	if ob, ok := args["orderBy"].(map[string]any); ok {
		field, _ = ob["field"].(string)
		desc = ob["direction"] == "DESC"
	}
	pulls := slices.Clone(r.pulls)
	slices.SortFunc(pulls, func(a, b *Pull) int {
		c := cmp.Compare(a.Number, b.Number)
		if field == "UPDATED_AT" {
			c = cmp.Or(a.Updated.Compare(b.Updated), c)
		} else {
			c = cmp.Or(a.Created.Compare(b.Created), c)
		}
		if desc {
			return -c
		}
		return c
	})
	var items []any
	for _, p := range pulls {
		if len(states) == 0 || states[p.gqlState()] {
			items = append(items, gqlPull{r: r, p: p})
		}
	}
	if states["open"] {
		ex.s.openListed(r)
	}
	return paginate(items, len(items), args)
}

// paginate cuts a connection's page by first and after (an opaque cursor
// that is the offset here).
func paginate(items []any, total int, args map[string]any) gqlConn {
	from := 0
	if after, ok := args["after"].(string); ok {
		if n, err := strconv.Atoi(strings.TrimPrefix(after, "cursor:")); err == nil {
			from = n
		}
	}
	n, _ := toInt(args["first"])
	from = min(from, len(items))
	to := min(from+n, len(items))
	c := gqlConn{total: total, items: items[from:to]}
	if c.items == nil {
		c.items = []any{}
	}
	c.page = gqlPageInfo{hasNext: to < len(items)}
	if to > from {
		c.page.end = "cursor:" + strconv.Itoa(to)
	}
	return c
}

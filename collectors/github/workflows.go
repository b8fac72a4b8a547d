package github

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	gh "github.com/google/go-github/v93/github"
)

// queryWorkflows reads the name and state of up to 100 workflows by node
// ID. It costs one point: no connection.
const queryWorkflows = `query OpsdragWorkflows($ids: [ID!]!) {
  nodes(ids: $ids) {
    ... on Workflow { id databaseId name state }
  }
}`

// workflow is what opsdrag needs to know of a workflow.
type workflow struct {
	ID     int64  `json:"id"`
	NodeID string `json:"node_id"`
	Name   string `json:"name"`
	// State is REST's: "active", "disabled_manually", "deleted", …
	State string `json:"state"`
}

// workflows is a repository's workflow list, shared by its branches. A
// refresh takes it from the catalog kept by the last one, with names and
// states brought up to date by one GraphQL query for many repositories,
// instead of listing every repository's workflows again: a workflow added
// since then is the only thing the catalog can lack, and it shows up as a
// run of a workflow it does not know, which has the list read afresh.
type workflows struct {
	mu    sync.Mutex
	byID  map[int64]workflow // nil when unknown
	fresh bool               // listed from REST in this collection
	list  func(ctx context.Context) (map[int64]workflow, error)
}

// get returns the list, reading it from REST when it is not known yet or
// when it came from the catalog and lacks one of ids.
func (w *workflows) get(ctx context.Context, ids ...int64) map[int64]workflow {
	w.mu.Lock()
	defer w.mu.Unlock()
	missing := w.byID == nil || slices.ContainsFunc(ids, func(id int64) bool { _, ok := w.byID[id]; return !ok })
	if missing && !w.fresh {
		w.fresh = true
		if m, err := w.list(ctx); err == nil {
			w.byID = m
		}
	}
	return w.byID
}

// catalogKey keys a repository's workflow catalog in the store.
func (c *actionsCollector) catalogKey(r repo) string {
	return fmt.Sprintf("%s|%s", c.s.baseKey(), strings.ToLower(r.full()))
}

// newWorkflows returns r's workflow list: REST when no catalog is kept.
func (c *actionsCollector) newWorkflows(cl *gh.Client, r repo, p *problems) *workflows {
	return &workflows{list: func(ctx context.Context) (map[int64]workflow, error) {
		list, err := allPages(ctx, func(ctx context.Context, page int) ([]*gh.Workflow, *gh.Response, error) {
			res, resp, err := cl.Actions.ListWorkflows(ctx, r.owner, r.name, &gh.ListOptions{Page: page, PerPage: 100})
			return res.GetWorkflows(), resp, err
		})
		if err != nil {
			p.add(err, "list its workflows", r.full(), needActions)
			return nil, err
		}
		byID := map[int64]workflow{}
		var keep []workflow
		for _, wf := range list {
			w := workflow{ID: wf.GetID(), NodeID: wf.GetNodeID(), Name: wf.GetName(), State: wf.GetState()}
			byID[w.ID] = w
			keep = append(keep, w)
		}
		c.s.store.put("workflows", c.catalogKey(r), keep)
		return byID, nil
	}}
}

// cataloged fills in, for the repositories of a batch whose catalog is
// kept, their workflows' current names and states from GraphQL. A
// repository whose catalog is missing or could not be brought up to date
// keeps a list that will be read from REST.
func (c *actionsCollector) cataloged(ctx context.Context, cl *gh.Client, rs []repo, lists []*workflows) {
	type ref struct{ at, id int64 }
	var (
		ids  []string
		refs []ref
		kept = make([]map[int64]workflow, len(rs))
	)
	for i, r := range rs {
		var cat []workflow
		if !c.s.store.get("workflows", c.catalogKey(r), &cat) {
			continue
		}
		kept[i] = map[int64]workflow{}
		for _, w := range cat {
			if w.NodeID == "" {
				kept[i] = nil
				break
			}
			kept[i][w.ID] = w
		}
		for _, w := range cat {
			if kept[i] != nil {
				ids = append(ids, w.NodeID)
				refs = append(refs, ref{at: int64(i), id: w.ID})
			}
		}
	}
	ok := make([]bool, len(rs))
	for i := range rs {
		ok[i] = kept[i] != nil
	}
	for start := 0; start < len(ids); start += detailsBatch {
		end := min(start+detailsBatch, len(ids))
		var data struct {
			Nodes []*struct {
				DatabaseID int64  `json:"databaseId"`
				Name       string `json:"name"`
				State      string `json:"state"`
			} `json:"nodes"`
		}
		errs, err := c.s.graphql(ctx, cl, queryWorkflows, map[string]any{"ids": ids[start:end]}, &data)
		if err != nil {
			for _, rf := range refs[start:end] {
				ok[rf.at] = false
			}
			continue
		}
		gone := map[int]bool{}
		for _, e := range errs {
			if i := e.index(); i >= 0 && e.Type == "NOT_FOUND" {
				gone[i] = true
			} else if i >= 0 && i < end-start {
				// Not readable as a node: list the repository's workflows instead.
				ok[refs[start+i].at] = false
			}
		}
		for i, rf := range refs[start:end] {
			w := kept[rf.at][rf.id]
			switch {
			case gone[i]:
				w.State = "deleted"
			case i < len(data.Nodes) && data.Nodes[i] != nil:
				w.Name, w.State = data.Nodes[i].Name, strings.ToLower(data.Nodes[i].State)
			default:
				ok[rf.at] = false
			}
			kept[rf.at][rf.id] = w
		}
	}
	for i := range rs {
		if ok[i] {
			lists[i].byID = kept[i]
		}
	}
}

package github

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	gh "github.com/google/go-github/v93/github"
)

// The GraphQL documents below are the only ones opsdrag ever sends. They are
// constants, all queries; readOnly refuses a POST whose query is not one of
// them, so no mutation can leave the process (transport.go). GraphQL is used
// where it saves many REST requests: listing the pull requests of 25
// repositories in one request, and the labels and changed files of 100 pull
// requests in another. Each costs one point of GitHub's secondary limit
// (2,000 a minute) and a few of the GraphQL hourly budget (5,000 points),
// which is separate from REST's.

// prFields are the scalar fields of a listed pull request; no connection,
// so listing costs next to nothing in points.
const prFields = `id number title url isDraft createdAt updatedAt mergedAt changedFiles headRefOid baseRefOid author { login }`

// queryPullRequestLists lists the open pull requests and the most recently
// updated merged ones of up to 25 repositories (by node ID).
const queryPullRequestLists = `query OpsdragPullRequestLists($ids: [ID!]!) {
  nodes(ids: $ids) {
    ... on Repository {
      id
      open: pullRequests(states: [OPEN], first: 100, orderBy: {field: CREATED_AT, direction: DESC}) {
        pageInfo { hasNextPage endCursor }
        nodes { ` + prFields + ` }
      }
      merged: pullRequests(states: [MERGED], first: 100, orderBy: {field: UPDATED_AT, direction: DESC}) {
        pageInfo { hasNextPage endCursor }
        nodes { ` + prFields + ` }
      }
    }
  }
}`

// queryMorePullRequests reads a further page of one of those lists.
const queryMorePullRequests = `query OpsdragMorePullRequests($id: ID!, $states: [PullRequestState!], $field: IssueOrderField!, $after: String) {
  node(id: $id) {
    ... on Repository {
      pullRequests(states: $states, first: 100, after: $after, orderBy: {field: $field, direction: DESC}) {
        pageInfo { hasNextPage endCursor }
        nodes { ` + prFields + ` }
      }
    }
  }
}`

// queryPullRequestDetails reads the labels and the first 100 reviews (who
// and when: the review time and the people who carry it) of up to 100 pull
// requests and, when asked, the first 100 of their changed files.
const queryPullRequestDetails = `query OpsdragPullRequestDetails($ids: [ID!]!, $withFiles: Boolean!) {
  nodes(ids: $ids) {
    ... on PullRequest {
      id
      labels(first: 100) { totalCount nodes { name } }
      reviews(first: 100) { totalCount nodes { author { login } submittedAt } }
      files(first: 100) @include(if: $withFiles) { totalCount pageInfo { hasNextPage } nodes { path changeType } }
    }
  }
}`

// graphqlDocuments are every document readOnly lets through.
var graphqlDocuments = []string{queryPullRequestLists, queryMorePullRequests, queryPullRequestDetails, queryWorkflows}

// graphqlURL is the GraphQL endpoint next to a REST base URL:
// https://api.github.com/graphql, or https://HOST/api/graphql for GitHub
// Enterprise Server (whose REST API is at /api/v3/).
func graphqlURL(restBase string) string {
	u, err := url.Parse(restBase)
	if err != nil {
		return ""
	}
	p := strings.TrimSuffix(strings.TrimSuffix(u.Path, "/"), "/v3")
	u.Path = p + "/graphql"
	return u.String()
}

// gqlError is one entry of a GraphQL response's errors: Path says which
// part of the answer it concerns (e.g. ["nodes", 3] for the fourth node).
type gqlError struct {
	Type    string `json:"type"`
	Path    []any  `json:"path"`
	Message string `json:"message"`
}

// index returns the position in a nodes(ids:) list that e concerns, or -1.
func (e gqlError) index() int {
	if len(e.Path) >= 2 && e.Path[0] == "nodes" {
		if f, ok := e.Path[1].(float64); ok {
			return int(f)
		}
	}
	return -1
}

// graphql sends one of the fixed query documents and decodes its data into
// out. It returns the errors GitHub reported for parts of the answer (a
// repository the token may not read); err is for the request as a whole.
func (s *session) graphql(ctx context.Context, cl *gh.Client, doc string, vars map[string]any, out any) ([]gqlError, error) {
	req, err := cl.NewRequest(ctx, http.MethodPost, s.gqlURL, map[string]any{"query": doc, "variables": vars})
	if err != nil {
		return nil, err
	}
	var resp struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}
	if _, err := cl.Do(req, &resp); err != nil {
		return nil, err
	}
	if len(resp.Data) > 0 && !bytes.Equal(resp.Data, []byte("null")) {
		if err := json.Unmarshal(resp.Data, out); err != nil {
			return nil, fmt.Errorf("decode GitHub's GraphQL answer: %w", err)
		}
	} else if len(resp.Errors) > 0 {
		return nil, fmt.Errorf("GitHub's GraphQL API refused the query: %s", resp.Errors[0].Message)
	}
	return resp.Errors, nil
}

// knownQuery reports whether a GraphQL request carries one of the fixed
// documents, reading its body without consuming it.
func knownQuery(req *http.Request) bool {
	var body io.ReadCloser
	switch {
	case req.GetBody != nil:
		b, err := req.GetBody()
		if err != nil {
			return false
		}
		body = b
	case req.Body != nil:
		raw, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return false
		}
		req.Body = io.NopCloser(bytes.NewReader(raw))
		body = io.NopCloser(bytes.NewReader(raw))
	default:
		return false
	}
	defer body.Close()
	var q struct {
		Query string `json:"query"`
	}
	if json.NewDecoder(io.LimitReader(body, 1<<20)).Decode(&q) != nil {
		return false
	}
	return slices.Contains(graphqlDocuments, q.Query)
}

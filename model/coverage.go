package model

import (
	"slices"
	"strings"
	"time"
)

// Feed is a kind of signal a source provides. A figure depends on the feeds
// it is computed from, and is only as complete as the sources behind them.
type Feed string

// Feeds, the kinds of signal opsdrag collects.
const (
	FeedPipelines    Feed = "pipelines"
	FeedAlarms       Feed = "alarms"
	FeedPullRequests Feed = "pull_requests"
	FeedInvoices     Feed = "invoices"
	FeedInventory    Feed = "inventory"
)

// Title names the feed for people.
func (f Feed) Title() string {
	switch f {
	case FeedPipelines:
		return "pipelines"
	case FeedAlarms:
		return "alarms"
	case FeedPullRequests:
		return "infra PRs"
	case FeedInvoices:
		return "the AWS invoice"
	case FeedInventory:
		return "the inventory"
	}
	return string(f)
}

// SourceFeeds says which feeds the source of that name provides. Sources
// are named by their collectors ("github/actions", "aws/alarms", …); the
// demo's stand in for the real ones under the same names.
func SourceFeeds(source string) []Feed {
	switch source {
	case "github/actions", "aws/codepipeline":
		return []Feed{FeedPipelines}
	case "github/pulls":
		return []Feed{FeedPullRequests}
	case "aws/alarms":
		return []Feed{FeedAlarms}
	case "aws/cost":
		return []Feed{FeedInvoices}
	case "aws/inventory":
		return []Feed{FeedInventory}
	}
	return nil
}

// Completeness says how far a figure can be trusted.
type Completeness string

// Completeness values, from best to worst.
const (
	// Complete: every source behind the figure answered in full.
	Complete Completeness = "complete"
	// LowerBound: some of the figure's sources failed, were not configured,
	// left data out or are still collecting; the true value is at least
	// the figure.
	LowerBound Completeness = "lower_bound"
	// Collecting: no source behind the figure has answered yet.
	Collecting Completeness = "collecting"
	// Unknown: no source behind the figure produced data.
	Unknown Completeness = "unknown"
)

// GapReason is why a source left a figure short, in a word scripts can
// match on.
type GapReason string

// Gap reasons.
const (
	GapNotConfigured GapReason = "not_configured"
	GapFailed        GapReason = "failed"
	GapPartial       GapReason = "partial"
	GapStale         GapReason = "stale"
	GapCollecting    GapReason = "collecting"
	GapNoSource      GapReason = "no_source"
)

// Gap is one source's share in a figure being short.
type Gap struct {
	// Source is the source's name; empty for GapNoSource.
	Source string
	Reason GapReason
	// Detail is the source's own explanation (the error, the hint).
	Detail string
	// DataAt is when the data shown for a stale source was collected.
	DataAt time.Time
}

// Coverage is how complete a figure is, and why.
type Coverage struct {
	Completeness Completeness
	// Feeds are what the figure is computed from.
	Feeds []Feed
	// Gaps are the sources that left it short, in source order.
	Gaps []Gap
}

// Known reports whether the figure has a value worth showing: complete or a
// lower bound.
func (c Coverage) Known() bool {
	return c.Completeness == Complete || c.Completeness == LowerBound
}

// Stale reports whether part of the figure comes from data kept from an
// earlier collection, because the latest one failed.
func (c Coverage) Stale() bool {
	return slices.ContainsFunc(c.Gaps, func(g Gap) bool { return g.Reason == GapStale })
}

// OldestData is when the oldest stale data behind the figure was collected;
// zero when nothing is stale.
func (c Coverage) OldestData() time.Time {
	var oldest time.Time
	for _, g := range c.Gaps {
		if g.Reason == GapStale && (oldest.IsZero() || g.DataAt.Before(oldest)) {
			oldest = g.DataAt
		}
	}
	return oldest
}

// Coverage says how complete a figure computed from the given feeds is.
func (s Snapshot) Coverage(feeds ...Feed) Coverage {
	c := Coverage{Feeds: feeds}
	contributed, pending := 0, 0
	for _, src := range s.Sources {
		if !slices.ContainsFunc(SourceFeeds(src.Name), func(f Feed) bool { return slices.Contains(feeds, f) }) {
			continue
		}
		_, hasData := s.data[src.Name]
		switch {
		case src.Stale && hasData:
			contributed++
			c.Gaps = append(c.Gaps, Gap{Source: src.Name, Reason: GapStale, Detail: src.Detail, DataAt: src.At})
		case src.Status == StatusPending:
			// Never finished yet (a refresh keeps the last finished status).
			pending++
			if hasData {
				contributed++ // a cold collection's first answers
			}
			c.Gaps = append(c.Gaps, Gap{Source: src.Name, Reason: GapCollecting})
		case src.Status == StatusOK:
			contributed++
		case src.Status == StatusPartial:
			contributed++
			c.Gaps = append(c.Gaps, Gap{Source: src.Name, Reason: GapPartial, Detail: src.Detail})
		case src.Status == StatusSkipped:
			c.Gaps = append(c.Gaps, Gap{Source: src.Name, Reason: GapNotConfigured, Detail: src.Detail})
		default:
			c.Gaps = append(c.Gaps, Gap{Source: src.Name, Reason: GapFailed, Detail: src.Detail})
		}
	}
	switch {
	case contributed == 0 && pending > 0:
		c.Completeness = Collecting
	case contributed == 0:
		c.Completeness = Unknown
		if len(c.Gaps) == 0 {
			c.Gaps = []Gap{{Reason: GapNoSource}}
		}
	case len(c.Gaps) > 0:
		c.Completeness = LowerBound
	default:
		c.Completeness = Complete
	}
	return c
}

// Merge combines the coverage of two figures that are added together: the
// sum is complete only when both are, unknown when both are.
func (c Coverage) Merge(o Coverage) Coverage {
	out := Coverage{Feeds: append(slices.Clone(c.Feeds), o.Feeds...)}
	out.Gaps = slices.Clone(c.Gaps)
	for _, g := range o.Gaps {
		if !slices.Contains(out.Gaps, g) {
			out.Gaps = append(out.Gaps, g)
		}
	}
	switch {
	case c.Completeness == o.Completeness:
		out.Completeness = c.Completeness
	case !c.Known() && !o.Known():
		out.Completeness = Collecting
		if c.Completeness == Unknown && o.Completeness == Unknown {
			out.Completeness = Unknown
		}
	default:
		out.Completeness = LowerBound
	}
	return out
}

// Why says in one sentence why the figure is not complete, naming each
// source, what happened to it and its own explanation; "" when complete.
func (c Coverage) Why() string {
	return c.describe(true)
}

// Short names the gaps without their details, e.g. "aws/alarms not
// configured, github/actions failed"; "" when complete.
func (c Coverage) Short() string {
	return c.describe(false)
}

func (c Coverage) describe(details bool) string {
	if c.Completeness == Complete {
		return ""
	}
	sep := ", "
	if details {
		sep = "; "
	}
	var parts []string
	for _, g := range c.Gaps {
		parts = append(parts, g.describe(details))
	}
	return strings.Join(parts, sep)
}

// Short names what happened to the source, e.g. "aws/alarms not
// configured", "github/actions stale".
func (g Gap) Short() string { return g.describe(false) }

func (g Gap) describe(details bool) string {
	s := g.Reason.words()
	if g.Reason == GapStale && !details {
		s = "stale" // the details say it failed and when its data is from
	}
	if g.Source != "" {
		s = g.Source + " " + s
	}
	if details && g.Detail != "" && g.Reason != GapCollecting {
		s += ": " + g.Detail
	}
	return s
}

// words says what a gap reason means, after the source's name. A stale
// source failed too: that its older data is shown is said where it is shown.
func (r GapReason) words() string {
	switch r {
	case GapNoSource:
		return "no source collects it"
	case GapNotConfigured:
		return "not configured"
	case GapPartial:
		return "incomplete"
	case GapCollecting:
		return "collecting"
	}
	return "failed"
}

// FormatBound shows a value as its coverage allows: "4.4", "≥ 4.4",
// "unknown" or "collecting…". format renders the number.
func FormatBound(v float64, c Coverage, format func(float64) string) string {
	switch c.Completeness {
	case Complete:
		return format(v)
	case LowerBound:
		return "≥ " + format(v)
	case Collecting:
		return "collecting…"
	}
	return "unknown"
}

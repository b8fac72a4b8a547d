package model

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// planIndex finds the item a resource belongs to, by kind, place and id.
type planIndex struct {
	items map[string]int
	// names are what a text may name each item by, for name links,
	// longest first; byWord finds them by their first word, so a text is
	// read once rather than once per name.
	names  []itemName
	byWord map[string][]int
	// odd are the names that do not start with a letter or digit, looked
	// for the slow way.
	odd []int
}

type itemName struct {
	item int
	name string
}

// minNameLength keeps short, common names ("api", "web", "db") from
// linking every pull request that mentions them.
const minNameLength = 4

func indexKey(k Kind, account, region, id string) string {
	return string(k) + "|" + account + "|" + region + "|" + id
}

// Keys for load balancers and target groups by their alarm dimension
// value ("app/name/id", "targetgroup/name/id").
const (
	lbDimension Kind = "lb-dimension"
	tgDimension Kind = "tg-dimension"
)

func newPlanIndex(bs []building) planIndex {
	ix := planIndex{items: map[string]int{}}
	add := func(i int, k Kind, id string) {
		if id != "" {
			ix.items[indexKey(k, bs[i].item.Account, bs[i].item.Region, id)] = i
		}
	}
	name := func(i int, n string) {
		if len(n) >= minNameLength {
			ix.names = append(ix.names, itemName{i, strings.ToLower(n)})
		}
	}
	for i, b := range bs {
		k := b.item.Kind
		for _, r := range b.main {
			add(i, k, r.ID)
			add(i, k, r.Group)
			name(i, r.ID)
			name(i, r.Name)
			if k == KindECSService {
				_, svc, _ := strings.Cut(r.ID, "/")
				name(i, svc)
			}
			if k == KindElastiCache || k == KindEC2Instance {
				name(i, r.Group)
			}
			// A name the inventory wrote as "alias (id)": the id too.
			if n, id, ok := strings.Cut(r.ID, " ("); ok && strings.HasSuffix(id, ")") {
				add(i, k, strings.TrimSuffix(id, ")"))
				add(i, k, n)
			}
		}
		for _, lb := range append(slices.Clone(b.main), b.lbs...) {
			if k != KindLoadBalancer && !slices.ContainsFunc(b.lbs, func(r Resource) bool { return r.ID == lb.ID }) {
				continue
			}
			add(i, KindLoadBalancer, lb.ID)
			add(i, lbDimension, arnSuffix(lb.ARN, "loadbalancer/"))
			for _, tg := range lb.TargetGroups {
				add(i, tgDimension, arnSuffix(tg, ""))
			}
			name(i, lb.ID)
		}
		for _, p := range b.pipelines {
			add(i, KindCodePipeline, p.ID)
			name(i, p.ID)
		}
	}
	// A target group names the service behind it more exactly than the
	// load balancer that forwards to it and others: services win.
	for i, b := range bs {
		if b.item.Kind == KindECSService {
			for _, tg := range b.main[0].TargetGroups {
				add(i, tgDimension, arnSuffix(tg, ""))
			}
		}
	}
	// Longest names first, so a text naming "orders-db" is matched as the
	// database, not also as the "orders" queue.
	slices.SortStableFunc(ix.names, func(a, b itemName) int { return len(b.name) - len(a.name) })
	ix.byWord = map[string][]int{}
	for n, in := range ix.names {
		w := leadingWord(in.name)
		if w == "" {
			ix.odd = append(ix.odd, n)
			continue
		}
		ix.byWord[w] = append(ix.byWord[w], n)
	}
	return ix
}

// leadingWord is s up to its first byte that is not a letter or digit.
func leadingWord(s string) string {
	end := 0
	for end < len(s) && isWordByte(s[end]) {
		end++
	}
	return s[:end]
}

// arnSuffix is the part of an ARN CloudWatch puts in a dimension: after
// "loadbalancer/" for a load balancer ("app/web/50dc6c495c0c9188"), the
// resource part for a target group ("targetgroup/web/73e2d6bc24d8a067").
func arnSuffix(arn, after string) string {
	if arn == "" {
		return ""
	}
	_, res, ok := strings.Cut(arn, ":loadbalancer/")
	if after == "" {
		_, res, ok = strings.Cut(arn, ":targetgroup/")
		res = "targetgroup/" + res
	}
	if !ok {
		return ""
	}
	return res
}

func (ix planIndex) find(k Kind, account, region, id string) (int, bool) {
	i, ok := ix.items[indexKey(k, account, region, id)]
	return i, ok
}

// alarmDimensions are the dimensions that tie an alarm to one resource, in
// the order they are tried: the most specific first.
var alarmDimensions = []struct {
	dimension string
	kind      Kind
}{
	{"DBInstanceIdentifier", KindRDSInstance},
	{"DBClusterIdentifier", KindAuroraCluster},
	{"CacheClusterId", KindElastiCache},
	{"ReplicationGroupId", KindElastiCache},
	{"QueueName", KindSQSQueue},
	{"TopicName", KindSNSTopic},
	{"TargetGroup", tgDimension},
	{"LoadBalancer", lbDimension},
	{"FunctionName", KindLambda},
	{"InstanceId", KindEC2Instance},
	{"AutoScalingGroupName", KindEC2Instance},
	{"ApiName", KindAPIGateway},
	{"DistributionId", KindCloudFront},
	{"ProjectName", KindCodeBuild},
}

// alarm finds the item an alarm watches, from its dimensions, and says
// which dimension tied them.
func (ix planIndex) alarm(t AlarmTarget) (int, string, bool) {
	via := func(names ...string) string {
		var parts []string
		for _, n := range names {
			parts = append(parts, n+" = "+t.Dimension(n))
		}
		return "alarm dimension " + strings.Join(parts, ", ")
	}
	if c, s := t.Dimension("ClusterName"), t.Dimension("ServiceName"); c != "" && s != "" {
		if i, ok := ix.find(KindECSService, t.Account, t.Region, c+"/"+s); ok {
			return i, via("ClusterName", "ServiceName"), true
		}
	}
	for _, d := range alarmDimensions {
		v := t.Dimension(d.dimension)
		if v == "" {
			continue
		}
		region := t.Region
		if d.kind == KindCloudFront {
			region = globalRegion // CloudFront's metrics are in us-east-1; its items are global
		}
		if i, ok := ix.find(d.kind, t.Account, region, v); ok {
			return i, via(d.dimension), true
		}
	}
	if c := t.Dimension("ClusterName"); c != "" && t.Dimension("ServiceName") == "" {
		k := KindECSCluster
		if t.Namespace == "ContainerInsights" {
			k = KindEKSCluster // EKS Container Insights; ECS uses ECS/ContainerInsights
		}
		if i, ok := ix.find(k, t.Account, t.Region, c); ok {
			return i, via("ClusterName"), true
		}
	}
	return 0, "", false
}

// named finds the items a text names: each item name found in it as a
// whole word (bounded by anything but a letter or digit), a name inside a
// longer one found at the same place not counting.
func (ix planIndex) named(text string) map[int]string {
	lower := strings.ToLower(text)
	// Every whole-word place each name is found at, the text read once:
	// a name starts where a word does.
	type found struct{ name, at int }
	var hits []found
	whole := func(n, at int) bool {
		name := ix.names[n].name
		end := at + len(name)
		return strings.HasPrefix(lower[at:], name) && (end == len(lower) || !isWordByte(lower[end])) &&
			(at == 0 || !isWordByte(lower[at-1]))
	}
	for at := 0; at < len(lower); at++ {
		if !isWordByte(lower[at]) || (at > 0 && isWordByte(lower[at-1])) {
			continue
		}
		for _, n := range ix.byWord[leadingWord(lower[at:])] {
			if whole(n, at) {
				hits = append(hits, found{n, at})
			}
		}
	}
	for _, n := range ix.odd {
		for at := 0; at < len(lower); at++ {
			if whole(n, at) {
				hits = append(hits, found{n, at})
			}
		}
	}
	// Longest names first (their order in names), each from the left: a
	// name inside a longer one found at the same place does not count.
	slices.SortFunc(hits, func(a, b found) int { return cmp.Or(a.name-b.name, a.at-b.at) })
	// taken holds the name that claimed each byte: a shorter name inside
	// it does not count, the same name (another region's queue) does.
	taken := make([]string, len(lower))
	out := map[int]string{}
	for _, h := range hits {
		n := ix.names[h.name]
		at, end := h.at, h.at+len(n.name)
		if slices.ContainsFunc(taken[at:end], func(c string) bool { return c != "" && c != n.name }) {
			continue
		}
		for k := at; k < end; k++ {
			taken[k] = n.name
		}
		if _, ok := out[n.item]; !ok {
			out[n.item] = n.name
		}
	}
	return out
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// globalRegion is the region of resources that belong to no region.
const globalRegion = "global"

// link ties each of the ledger's lines to the items it concerns, splitting
// a line named by several items evenly between them (and saying so), and
// keeps the rest as unlinked drag.
func (p *Plan) link(s Snapshot, l Ledger, bs []building, ix planIndex) {
	targets := map[string]AlarmTarget{}
	for _, t := range s.AlarmTargets() {
		targets[t.Account+"|"+t.Region+"|"+t.Alarm] = t
	}
	w, loc, a := s.Window, l.Team.Loc(), l.Assumptions
	type tie struct {
		item   int
		via    string
		byName bool
	}
	charge := func(c Category, line LedgerLine, ties []tie) {
		week := line.Hours * l.WeekScale
		if len(ties) == 0 {
			p.Unlinked = append(p.Unlinked, PlanLink{Category: c, Subject: line.Subject, Formula: line.Formula, WeekHours: week, Shared: 0})
			p.UnlinkedWeekHours += week
			return
		}
		for _, t := range ties {
			it := &bs[t.item].item
			share := week / float64(len(ties))
			it.Links = append(it.Links, PlanLink{Category: c, Subject: line.Subject, Formula: line.Formula,
				WeekHours: share, Via: t.via, ByName: t.byName, Shared: len(ties)})
			it.WeekHours += share
		}
	}
	if l.Category(CatPipelines).Coverage.Known() {
		for _, pl := range s.Pipelines() {
			line, ok := pipelineLine(pl, a, w)
			if !ok {
				continue
			}
			var ties []tie
			if pl.Provider == CodePipeline {
				account, region, _ := strings.Cut(pl.Scope, "/")
				if i, ok := ix.find(KindCodePipeline, account, region, pl.Name); ok {
					via := "the pipeline itself"
					if bs[i].item.Kind == KindECSService {
						via = "its deploy action names ClusterName/ServiceName " + bs[i].main[0].ID
					}
					ties = append(ties, tie{item: i, via: via})
				}
			}
			charge(CatPipelines, line, ties)
		}
	}
	if l.Category(CatAlarms).Coverage.Known() {
		for _, al := range s.Alarms() {
			line, ok := alarmLine(al, a, loc, w)
			if !ok {
				continue
			}
			var ties []tie
			if t, ok := targets[al.Account+"|"+al.Region+"|"+al.Name]; ok {
				if i, via, ok := ix.alarm(t); ok {
					ties = append(ties, tie{item: i, via: via})
				}
			}
			charge(CatAlarms, line, ties)
		}
	}
	if l.Category(CatInfraPRs).Coverage.Known() {
		for _, pr := range s.PullRequests() {
			line, ok := prLine(pr, a, w)
			if !ok {
				continue
			}
			found := ix.named(pr.Title)
			how := map[int]string{}
			for i, n := range found {
				how[i] = fmt.Sprintf("its title names %q", n)
			}
			for _, path := range pr.Paths {
				for i, n := range ix.named(path) {
					if _, ok := how[i]; !ok {
						how[i] = fmt.Sprintf("its changed path %s names %q", path, n)
					}
				}
			}
			var ties []tie
			for _, i := range slices.Sorted(maps.Keys(how)) {
				ties = append(ties, tie{item: i, via: how[i], byName: true})
			}
			charge(CatInfraPRs, line, ties)
		}
	}
}

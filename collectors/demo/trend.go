package demo

// PastWeeks returns the demo team's drag, in hours per week, for the n weeks
// before the current one, oldest first: a slow climb with one bad week, the
// kind of history a real team's store fills up with.
func PastWeeks(n int) []float64 {
	shape := []float64{14.5, 15.2, 13.8, 16.1, 17.4, 16.9, 24.8, 18.3, 19.6, 18.9, 20.7, 21.4}
	out := make([]float64, n)
	for i := range out {
		out[i] = shape[(len(shape)-n+i+len(shape)*n)%len(shape)]
	}
	return out
}

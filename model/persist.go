package model

import "maps"

// Parts returns each source's data by source name, for saving a snapshot.
// The map is a copy; the slices inside are shared and must not be changed.
func (s Snapshot) Parts() map[string]Data {
	return maps.Clone(s.data)
}

// RestoreSnapshot rebuilds a saved snapshot from its sources and their data.
// Data is taken as saved (it was cleaned when first collected).
func RestoreSnapshot(w Window, demo bool, sources []Source, parts map[string]Data) Snapshot {
	s := Snapshot{Window: w, Demo: demo, Sources: append([]Source(nil), sources...), data: map[string]Data{}}
	for name, d := range parts {
		s.data[name] = d
	}
	return s.withViews()
}

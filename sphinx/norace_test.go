//go:build !race

package sphinx

const raceEnabled = false

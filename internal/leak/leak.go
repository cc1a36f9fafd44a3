// Package leak counts the handles that the garbage-collection backstop
// reclaimed without a Close, for every package that has one; zerocall.Leaked
// reports the count.
package leak

import "sync/atomic"

var n atomic.Int64

// Add counts one handle reclaimed without a Close.
func Add() { n.Add(1) }

// Count returns how many handles were reclaimed without a Close.
func Count() int64 { return n.Load() }

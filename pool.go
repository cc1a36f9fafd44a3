package zerocall

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"sync"
)

// Pool shares instances among goroutines (any type with a Close: an
// Instance, or a *kernel.Handle or *kernel.Batch of any host): each caller
// takes an instance for itself, uses it without waiting on others, and
// gives it back. It is built on sync.Pool, so an idle instance may be
// dropped by the garbage collector at any time; the pool then closes it,
// so a dropped instance never counts as leaked.
//
// An instance that goes back into the pool is Reset first if its type has
// a Reset method: a *kernel.Batch drops the calls its caller left queued,
// which the next caller's Run would otherwise run.
//
// An instance that cannot be used again never goes back into the pool:
// one whose call in f failed with ErrClosed or ErrBroken, and, for a type
// with an Err method as this package's and kernel's have, one that f
// closed or that is broken. The pool closes it (if f did not) and makes
// a fresh one for a later caller.
//
// The alternative to a Pool is one instance per goroutine, created when
// the goroutine starts and closed when it ends; that is the right choice
// for a fixed set of long-lived workers.
//
// As with a sync.Pool, the zero Pool is ready once New is set, and a Pool
// must not be copied after first use.
type Pool[T io.Closer] struct {
	// New makes an instance when the pool has no idle one; Do returns
	// its error (and closes an instance made beside it). It must be set
	// before the first Do; an instance it returns must not be nil.
	New func() (T, error)

	p sync.Pool
}

// pooled carries an instance through the sync.Pool. When the sync.Pool
// drops it, its cleanup closes the instance.
type pooled[T io.Closer] struct {
	k       T
	cleanup runtime.Cleanup
}

// Do runs f with an instance that no other caller holds meanwhile, so f
// may fill its regions and call it in place. f must not keep the instance,
// or views of its regions, after it returns. Do returns the error of f, or
// the error of creating an instance (ErrArgument for a nil f or Pool).
// Do does not allocate once the pool holds an idle instance.
func (p *Pool[T]) Do(f func(T) error) error {
	if p == nil || f == nil {
		return fmt.Errorf("%w: Do on a nil Pool or with a nil function", ErrArgument)
	}
	h, err := p.get()
	if err != nil {
		return err
	}
	err = f(h.k)
	if usable(h.k, err) {
		reset(h.k)
		p.p.Put(h)
	} else {
		h.cleanup.Stop()
		_ = h.k.Close()
	}
	return err
}

// usable reports whether k may serve another caller after a call that
// returned err.
func usable(k io.Closer, err error) bool {
	if err != nil && (errors.Is(err, ErrClosed) || errors.Is(err, ErrBroken)) {
		return false
	}
	if s, ok := k.(interface{ Err() error }); ok {
		return s.Err() == nil
	}
	return true
}

// isNil reports whether k is no instance: a nil interface, or a nil
// pointer (a constructor's nil *Batch, say).
func isNil(k io.Closer) bool {
	v := reflect.ValueOf(k)
	switch {
	case !v.IsValid():
		return true
	case v.Kind() == reflect.Pointer, v.Kind() == reflect.Interface, v.Kind() == reflect.Map,
		v.Kind() == reflect.Slice, v.Kind() == reflect.Func, v.Kind() == reflect.Chan:
		return v.IsNil()
	}
	return false
}

// reset drops what a caller left in k for the next, for a type with a
// Reset method (a *kernel.Batch: the calls left queued).
func reset(k io.Closer) {
	if r, ok := k.(interface{ Reset() }); ok {
		r.Reset()
	}
}

func (p *Pool[T]) get() (*pooled[T], error) {
	if h, ok := p.p.Get().(*pooled[T]); ok {
		return h, nil
	}
	if p.New == nil {
		return nil, fmt.Errorf("%w: a Pool with no New", ErrArgument)
	}
	k, err := p.New()
	if err != nil {
		if !isNil(k) {
			_ = k.Close() // made beside the error: not kept, so not left open
		}
		return nil, err
	}
	if isNil(k) {
		// Not pooled: its cleanup would call Close on nil, where no
		// caller could recover.
		return nil, fmt.Errorf("%w: the Pool's New returned no instance and no error", ErrArgument)
	}
	h := &pooled[T]{k: k}
	h.cleanup = runtime.AddCleanup(h, func(k T) { _ = k.Close() }, k)
	return h, nil
}

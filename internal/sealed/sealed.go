// Package sealed keeps the interfaces that users of zerocall consume
// from being implemented outside it, as wazero's internalapi does: an
// interface that embeds Interface can only be implemented by a type that
// embeds Type, which only the project's packages can name. Methods can
// then be added to those interfaces without breaking anyone.
package sealed

// Interface is embedded in the sealed interfaces.
type Interface interface{ zerocallOnly() }

// Type is embedded in the project's types that implement them.
type Type struct{}

func (Type) zerocallOnly() {}

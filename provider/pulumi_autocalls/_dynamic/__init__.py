"""The dynamic face: ``SipTrunk`` as a ``pulumi.dynamic`` resource, its provider and lookups.

A native face (a provider plugin with a package schema) will sit beside it on the same core; see
docs/architecture.md.
"""

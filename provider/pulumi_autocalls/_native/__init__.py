"""The native face: the ``autocalls`` Pulumi provider plugin (``pulumi-resource-autocalls``).

A gRPC ``pulumirpc.ResourceProvider`` on the core, with a package schema generated from the field
table. Its modules: ``codec`` (values on the wire), ``naming`` (schema names from the table),
``schema`` (the package schema), ``configuration`` (settings from the engine's configuration),
``servicer`` (the RPCs), ``lookups`` (the functions), ``errors`` (what failures look like),
``engine`` (warnings back to the engine), ``plugin`` (the process the engine starts).
"""

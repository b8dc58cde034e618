"""The core that every face of the provider stands on, with no Pulumi engine protocol in it.

``fields`` (the field table), ``validation`` (check), ``changes`` (diff and re-provisioning),
``trunks`` (the operations against the API), ``client``, ``retry`` and ``constants`` (the HTTP
client and its one retry mechanism), ``config`` (settings), ``models`` (API responses),
``redact`` and ``transport_security`` (secrets). See docs/architecture.md.
"""

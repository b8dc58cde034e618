"""Where every stack's state finds the dynamic provider: ``pulumi_autocalls._provider``.

Each ``SipTrunk`` stores its provider in the state as a pickle that names this module and the
class ``SipTrunkProvider``, and the provider process imports exactly this module to unpickle it.
The name is therefore part of the state format and must not move; the code lives in
``_dynamic/provider.py``, whose class declares this module as its ``__module__``.
"""

from ._dynamic.provider import SipTrunkProvider

__all__ = ["SipTrunkProvider"]

"""``pulumi-autocalls doctor``: does the real API behave as this provider assumes?

The read-only checks (``readonly``) and the throwaway trunk's walk (``walk``, ``throwaway``) run
the provider's own client and operations, with an observer that keeps every raw answer
(``observe``). Each answer is compared with the models and the field table (``shapes``) and with
the documented statuses and messages (``documented``); each difference names what it would do to
the provider, and the report (``report``) shows one line per check. ``command`` is the command
line.
"""

from __future__ import annotations

from .command import register, run

__all__ = ["register", "run"]

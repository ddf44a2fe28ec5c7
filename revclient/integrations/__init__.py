"""Integrations with other tools, each behind its own extra and imported only when used.

* :mod:`revclient.integrations.dlt`: dlt sources for both APIs (``revclient[dlt]``).
"""

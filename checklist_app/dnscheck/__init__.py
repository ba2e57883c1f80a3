"""The DNS switch-over check: :mod:`.evaluate` judges answers (pure, also in the browser); :mod:`.transport` asks
real servers over UDP/TCP for the staff CLI (CPython only). The browser's own round trips are
:mod:`checklist_app.tools.dnscheck`. Nothing is imported here, so a page loads only what it uses.
"""

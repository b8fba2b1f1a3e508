"""The demo municipality (``make run``) and the benchmark generator (``make bench``).

A Django app of its own, above the feature apps: it only calls their services
and models, and nothing in the product imports it.
"""

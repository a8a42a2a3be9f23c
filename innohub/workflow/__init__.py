"""The workflow engine: workflows as data (states with labels and flags, transitions with
roles, guards and effects), validated against what each model's code needs, and one
transition service. `spec` parses and checks definitions, `registry` holds each model's
kind (required flags, pseudo-roles, guards, effects), `services` performs transitions.
"""

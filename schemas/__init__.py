"""Data definitions shared by every step: table schemas and the records that flow between steps.

Imports nothing from `pipeline` or `transforms`.
"""

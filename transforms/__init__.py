"""The steps of the data's path, one module each, as composite PTransforms over pure functions.

Never imports `newsbeam.pipeline`: steps know neither the command line nor the runner.
"""

"""The launcher: options, pipeline construction, the `_state` folder and the command line.

The only part of newsbeam that knows about runners and the command line.
"""

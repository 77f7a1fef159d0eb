"""newsbeam: news ingestion on Apache Beam.

The code lives in the top-level folders `pipeline/`, `transforms/` and `schemas/`, installed as
`newsbeam.pipeline`, `newsbeam.transforms` and `newsbeam.schemas`.
"""

__version__ = "0.1.0"

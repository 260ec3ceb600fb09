"""What runs tell people and machines: the console, JUnit, GitHub annotations, HTML, result files.

`results` is the data every format is made from; each format is one module here.
"""

from .results import BranchResult, DriftReport, RunInfo, Walked, artifacts_folder, slug

__all__ = ["BranchResult", "DriftReport", "RunInfo", "Walked", "artifacts_folder", "slug"]

"""Scale-out helpers: the pandas batch function that Dask, Spark and Ray recipes share."""

from syscause.scale.frame import RESULT_DTYPES, analyze_frame, result_meta

__all__ = ["RESULT_DTYPES", "analyze_frame", "result_meta"]

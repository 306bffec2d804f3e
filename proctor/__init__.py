"""Proctor: exam integrity with double face recognition.

This package is the domain. It knows nothing of HTTP or OpenCV; face engines live in
`proctor.models`, capture in `proctor.cameras`, HTTP in `proctor.api`.
"""

__version__ = "0.1.0"

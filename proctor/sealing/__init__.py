"""Biometric data sealed at rest: every image and face template is encrypted with a data key of
its own, and the data key wrapped by the deployment's master key, which never sits in the
database or the data folder."""

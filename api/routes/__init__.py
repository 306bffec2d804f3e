"""HTTP routes under /api/v1, one module per resource, plus the station page."""

"""FastAPI application factory, routes, schemas and the web console."""

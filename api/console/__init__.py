"""The web console: server-rendered pages for proctors, officers and the committee."""

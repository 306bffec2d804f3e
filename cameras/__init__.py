"""Frame sources, the capture loop and the exam-station agent."""

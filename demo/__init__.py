"""`proctor demo`: the whole flow on one machine, with simulated stations playing clips."""

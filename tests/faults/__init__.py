"""Fault-injection scenarios against the simulator."""

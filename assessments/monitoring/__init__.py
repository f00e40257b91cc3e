"""Monitoring over time (issue 14): indicator readings and their status, the
early-warning board, re-assessment from a baseline with its deltas, the portfolio."""

"""Placeholder, filled by its feature."""
import sys

print("not implemented yet")
sys.exit(1)

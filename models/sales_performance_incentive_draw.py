# Draws and guarantees (assignment settings, draw lines): see the issue.

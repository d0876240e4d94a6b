# Tests: see the cockpit issue (#14).

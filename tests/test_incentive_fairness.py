# Tests: see the incentive governance issue (#13).

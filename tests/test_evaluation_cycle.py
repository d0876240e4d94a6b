# Tests: see the evaluation cycles issue (#15).

# See the evaluation cycles issue (#15).

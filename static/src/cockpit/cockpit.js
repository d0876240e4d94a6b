// The cockpit client action (sales_performance.cockpit): see the cockpit issue.

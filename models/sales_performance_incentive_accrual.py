# Accruals in Accounting (plan accounts, statement journal entries): see the issue.

"""Every write of the interceptions register (docs/style.md): permission first (a
denial is audited outside the transaction, so it survives), every check before any
write, then one transaction with its audit rows and notifications."""

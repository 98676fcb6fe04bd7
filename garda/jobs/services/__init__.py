"""Every write of the jobs app: `register` (the licence register: companies, their
status, branches and staff, the register file), `parties` (employers, foreign
partners, the problematic list), `orders` (job orders, their states and checks)."""

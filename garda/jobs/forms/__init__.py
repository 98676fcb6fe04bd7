"""Input cleaning shared by the pages and the API, one module per part: `public`
(the job check), `orders` (a job order), `parties` (employers, partners, the
problematic list), `register` (companies, their status, branches, staff)."""

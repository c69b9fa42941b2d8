// Pinned environment for every e2e file: UTC process clock, quiet logs.
process.env.TZ = 'UTC';

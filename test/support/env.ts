// Pinned environment for every e2e file: UTC process clock; generous timeouts for booting the
// embedded database (timings are never asserted: they belong in benchmarks).
process.env.TZ = 'UTC';
jest.setTimeout(120_000);

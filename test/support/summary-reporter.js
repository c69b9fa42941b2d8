// Prints one plain closing line, "tests: N passed, N failed, N skipped", as the very last line of
// the run (after Jest's own summary), for CI tooling that reads the closing line.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const {
      numPassedTests: passed,
      numFailedTests: failed,
      numPendingTests: skipped,
      numTodoTests: todo,
    } = results;
    process.once('exit', () =>
      process.stderr.write(`tests: ${passed} passed, ${failed} failed, ${skipped + todo} skipped\n`),
    );
  }
}
module.exports = SummaryReporter;

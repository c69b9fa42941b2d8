/** A progress line on stderr: redrawn in place on a terminal, one line every few seconds otherwise. */
export class Progress {
  private last = 0;
  constructor(
    private readonly totalBytes: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  update(doneBytes: number, records: number, startedAt: number, final = false): void {
    const now = Date.now();
    if (!final && now - this.last < (this.out.isTTY ? 100 : 5000)) return;
    this.last = now;
    const share = this.totalBytes > 0 ? Math.min(1, doneBytes / this.totalBytes) : 1;
    const width = 30;
    const filled = Math.round(share * width);
    const secs = Math.max(0.001, (now - startedAt) / 1000);
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(1).padStart(5)}%  ${records} records  ${Math.round(records / secs)}/s`;
    if (this.out.isTTY) this.out.write(`\r${line}${final ? '\n' : ''}`);
    else this.out.write(`${line}\n`);
  }
}

// One write at a time from the task page. Each write carries what the page was drawn from (its revision,
// its plan, its links), so a second one sent before the first's answer has been drawn acts on a stale
// page: a double-click on Save reported a conflict with the person's own change, on Move it moved twice,
// on Remove it blamed "someone else". While one write (and the page's redraw from its answer) is on its
// way, another press is ignored.
let busy = false;

export function oneWrite(f: () => Promise<unknown>): void {
  if (busy) return;
  busy = true;
  void f()
    .catch(() => undefined) // each caller says its own refusals; this only keeps the lock honest
    .finally(() => {
      busy = false;
    });
}

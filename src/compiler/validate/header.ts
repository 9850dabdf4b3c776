import type { ValidationRule } from './context.js';

const NAME = /^[A-Za-z0-9_-]+$/;
const VERSION = /^v[0-9]+(\.[0-9]+)*$/;

/** AEX001 missing header, AEX004 header not first or repeated, AEX005 `agent`, malformed name/version. */
export const headerRule: ValidationRule = {
  name: 'header',
  run(ctx) {
    const body = ctx.doc.body;
    if (!ctx.header) {
      ctx.report('AEX001', 'error', 'missing header: the first line must be `task NAME vVERSION` or `policy NAME vVERSION`', { line: 1, column: 1 });
      return;
    }
    let seen = 0;
    for (const s of body) {
      if (s.type !== 'header') continue;
      seen++;
      if (seen > 1) ctx.report('AEX004', 'error', `more than one header; "${s.keyword} ${s.name}" repeats it`, s.pos);
    }
    const first = body[0];
    if (first !== ctx.header) {
      ctx.report('AEX004', 'error', 'the header must be the first statement of the file', ctx.header.pos);
    }
    const h = ctx.header;
    if (h.keyword === 'agent') {
      ctx.report('AEX005', 'warning', '`agent` is a deprecated alias of `task`; write `task`', h.pos);
    }
    if (!NAME.test(h.name)) {
      ctx.report('AEX100', 'error', `invalid ${h.keyword} name "${h.name}": use letters, digits, "_" and "-"`, h.namePos);
    }
    if (!VERSION.test(h.version)) {
      ctx.report('AEX100', 'error', `invalid version "${h.version}": expected v followed by numbers, like v0 or v1.2`, h.versionPos);
    }
  },
};

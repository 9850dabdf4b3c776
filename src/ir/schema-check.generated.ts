// GENERATED from schemas/ by scripts/build-grammar.mjs (scripts/schema-check-source.mjs). Do not edit.
// @ts-nocheck

/** A generated schema check: true when the document is valid. */
export type SchemaCheck = (doc: unknown) => boolean;

function codePoints(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}
function sameJson(a, b) {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!Object.prototype.hasOwnProperty.call(b, k) || !sameJson(a[k], b[k])) return false;
  return true;
}
function uniqueItems(xs) {
  for (let i = 1; i < xs.length; i++) for (let j = 0; j < i; j++) if (sameJson(xs[i], xs[j])) return false;
  return true;
}

/** schemas/aex-ir.schema.json: true when the document is valid. */
export const checkIRv1: SchemaCheck = (() => {
const pattern0 = new RegExp("^[A-Za-z0-9_-]+$", 'u');
const pattern1 = new RegExp("^[0-9]+(\\.[0-9]+)*$", 'u');
const pattern2 = new RegExp("^[0-9a-f]{64}$", 'u');
const pattern3 = new RegExp("^(\\*|[A-Za-z_][A-Za-z0-9_-]*(\\.[A-Za-z_][A-Za-z0-9_-]*)*(\\.\\*)?)$", 'u');
const pattern4 = new RegExp("^[A-Za-z_][A-Za-z0-9_]*$", 'u');
const pattern5 = new RegExp("^[A-Za-z_][A-Za-z0-9_-]*(\\.[A-Za-z_][A-Za-z0-9_-]*)*$", 'u');
function check1(v) {
  if (v !== "aex-ir/1") return false;
  return true;
}
function check2(v) {
  if (!(v === "task" || v === "policy")) return false;
  return true;
}
function check3(v) {
  if (!(typeof v === 'string')) return false;
  if (typeof v === 'string') {
    if (!pattern0.test(v)) return false;
  }
  return true;
}
function check4(v) {
  if (!(typeof v === 'string')) return false;
  if (typeof v === 'string') {
    if (!pattern1.test(v)) return false;
  }
  return true;
}
function check5(v) {
  if (!(typeof v === 'string')) return false;
  return true;
}
function check7(v) {
  if (!(typeof v === 'string')) return false;
  return true;
}
function check8(v) {
  if (!(typeof v === 'string')) return false;
  if (typeof v === 'string') {
    if (!pattern2.test(v)) return false;
  }
  return true;
}
function check6(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["path"] === undefined) return false;
    if (v["sha256"] === undefined) return false;
    if (v["path"] !== undefined && !check7(v["path"])) return false;
    if (v["sha256"] !== undefined && !check8(v["sha256"])) return false;
    for (const k in v) {
      if (!(k === "path" || k === "sha256") && !false) return false;
    }
  }
  return true;
}
function def_toolPattern(v) {
  if (!(typeof v === 'string')) return false;
  if (typeof v === 'string') {
    if (!pattern3.test(v)) return false;
  }
  return true;
}
function check11(v) {
  if (!(typeof v === 'string')) return false;
  if (typeof v === 'string') {
    if (v.length < 1) return false;
  }
  return true;
}
function check12(v) {
  if (!(Number.isInteger(v))) return false;
  if (typeof v === 'number' && !(v >= 1)) return false;
  return true;
}
function check13(v) {
  if (!(Number.isInteger(v))) return false;
  if (typeof v === 'number' && !(v >= 1)) return false;
  return true;
}
function def_loc(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["line"] === undefined) return false;
    if (v["column"] === undefined) return false;
    if (v["line"] !== undefined && !check12(v["line"])) return false;
    if (v["column"] !== undefined && !check13(v["column"])) return false;
    for (const k in v) {
      if (!(k === "line" || k === "column") && !false) return false;
    }
  }
  return true;
}
function def_rule(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["tool"] === undefined) return false;
    if (v["loc"] === undefined) return false;
    if (v["tool"] !== undefined && !def_toolPattern(v["tool"])) return false;
    if (v["path"] !== undefined && !check11(v["path"])) return false;
    if (v["loc"] !== undefined && !def_loc(v["loc"])) return false;
    for (const k in v) {
      if (!(k === "tool" || k === "path" || k === "loc") && !false) return false;
    }
  }
  return true;
}
function check10(v) {
  if (!(Array.isArray(v))) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!def_rule(v[i])) return false;
  }
  return true;
}
function check14(v) {
  if (!(Array.isArray(v))) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!def_rule(v[i])) return false;
  }
  return true;
}
function check15(v) {
  if (!(Array.isArray(v))) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!def_rule(v[i])) return false;
  }
  return true;
}
function check9(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["use"] === undefined) return false;
    if (v["deny"] === undefined) return false;
    if (v["confirm"] === undefined) return false;
    if (v["use"] !== undefined && !check10(v["use"])) return false;
    if (v["deny"] !== undefined && !check14(v["deny"])) return false;
    if (v["confirm"] !== undefined && !check15(v["confirm"])) return false;
    for (const k in v) {
      if (!(k === "use" || k === "deny" || k === "confirm") && !false) return false;
    }
  }
  return true;
}
function def_ident(v) {
  if (!(typeof v === 'string')) return false;
  if (typeof v === 'string') {
    if (!pattern4.test(v)) return false;
  }
  return true;
}
function check18(v) {
  if (!(v === "str" || v === "num" || v === "int" || v === "bool" || v === "file" || v === "url" || v === "json")) return false;
  return true;
}
function check17(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["base"] === undefined) return false;
    if (v["base"] !== undefined && !check18(v["base"])) return false;
    for (const k in v) {
      if (!(k === "base") && !false) return false;
    }
  }
  return true;
}
function check20(v) {
  if (v !== "list") return false;
  return true;
}
function check19(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["base"] === undefined) return false;
    if (v["item"] === undefined) return false;
    if (v["base"] !== undefined && !check20(v["base"])) return false;
    if (v["item"] !== undefined && !def_type(v["item"])) return false;
    for (const k in v) {
      if (!(k === "base" || k === "item") && !false) return false;
    }
  }
  return true;
}
function def_type(v) {
  switch ((v !== null && typeof v === 'object' && !Array.isArray(v)) ? v["base"] : undefined) {
    case "str":
    case "num":
    case "int":
    case "bool":
    case "file":
    case "url":
    case "json":
      if (!check17(v)) return false;
      break;
    case "list":
      if (!check19(v)) return false;
      break;
    default:
      return false;
  }
  return true;
}
function check21(v) {
  if (!(typeof v === 'boolean')) return false;
  return true;
}
function def_need(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["name"] === undefined) return false;
    if (v["type"] === undefined) return false;
    if (v["optional"] === undefined) return false;
    if (v["loc"] === undefined) return false;
    if (v["name"] !== undefined && !def_ident(v["name"])) return false;
    if (v["type"] !== undefined && !def_type(v["type"])) return false;
    if (v["optional"] !== undefined && !check21(v["optional"])) return false;
    if (v["loc"] !== undefined && !def_loc(v["loc"])) return false;
    for (const k in v) {
      if (!(k === "name" || k === "type" || k === "optional" || k === "loc") && !false) return false;
    }
  }
  return true;
}
function check16(v) {
  if (!(Array.isArray(v))) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!def_need(v[i])) return false;
  }
  return true;
}
function check23(v) {
  if (!(Number.isInteger(v))) return false;
  if (typeof v === 'number' && !(v >= 0)) return false;
  return true;
}
function check24(v) {
  if (!(Number.isInteger(v))) return false;
  if (typeof v === 'number' && !(v >= 0)) return false;
  return true;
}
function check22(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["calls"] !== undefined && !check23(v["calls"])) return false;
    for (const k in v) {
      if (!(k === "calls") && !check24(v[k])) return false;
    }
  }
  return true;
}
function check26(v) {
  if (v !== "call") return false;
  return true;
}
function def_toolName(v) {
  if (!(typeof v === 'string')) return false;
  if (typeof v === 'string') {
    if (!pattern5.test(v)) return false;
  }
  return true;
}
function check31(v) {
  if (!(typeof v === 'string')) return false;
  return true;
}
function check32(v) {
  if (!((typeof v === 'number' && Number.isFinite(v)))) return false;
  return true;
}
function check33(v) {
  if (!(typeof v === 'boolean')) return false;
  return true;
}
function check34(v) {
  if (!(v === null)) return false;
  return true;
}
function check30(v) {
  let matched = 0;
  if (check31(v) && ++matched > 1) return false;
  if (check32(v) && ++matched > 1) return false;
  if (check33(v) && ++matched > 1) return false;
  if (check34(v) && ++matched > 1) return false;
  if (matched !== 1) return false;
  return true;
}
function check29(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["lit"] === undefined) return false;
    if (v["lit"] !== undefined && !check30(v["lit"])) return false;
    for (const k in v) {
      if (!(k === "lit") && !false) return false;
    }
  }
  return true;
}
function check37(v) {
  if (!(Number.isInteger(v))) return false;
  if (typeof v === 'number' && !(v >= 0)) return false;
  return true;
}
function check36(v) {
  if (!(def_ident(v) || check37(v))) return false;
  return true;
}
function check35(v) {
  if (!(Array.isArray(v))) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!check36(v[i])) return false;
  }
  return true;
}
function def_ref(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["ref"] === undefined) return false;
    if (v["ref"] !== undefined && !def_ident(v["ref"])) return false;
    if (v["path"] !== undefined && !check35(v["path"])) return false;
    for (const k in v) {
      if (!(k === "ref" || k === "path") && !false) return false;
    }
  }
  return true;
}
function check39(v) {
  if (!(Array.isArray(v))) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!def_expr(v[i])) return false;
  }
  return true;
}
function check38(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["list"] === undefined) return false;
    if (v["list"] !== undefined && !check39(v["list"])) return false;
    for (const k in v) {
      if (!(k === "list") && !false) return false;
    }
  }
  return true;
}
function check43(v) {
  if (!(typeof v === 'string')) return false;
  return true;
}
function check42(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["key"] === undefined) return false;
    if (v["value"] === undefined) return false;
    if (v["key"] !== undefined && !check43(v["key"])) return false;
    if (v["value"] !== undefined && !def_expr(v["value"])) return false;
    for (const k in v) {
      if (!(k === "key" || k === "value") && !false) return false;
    }
  }
  return true;
}
function check41(v) {
  if (!(Array.isArray(v))) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!check42(v[i])) return false;
  }
  return true;
}
function check40(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["object"] === undefined) return false;
    if (v["object"] !== undefined && !check41(v["object"])) return false;
    for (const k in v) {
      if (!(k === "object") && !false) return false;
    }
  }
  return true;
}
function def_expr(v) {
  if ((v !== null && typeof v === 'object' && !Array.isArray(v)) && v["lit"] !== undefined) { if (!check29(v)) return false; }
  else if ((v !== null && typeof v === 'object' && !Array.isArray(v)) && v["ref"] !== undefined) { if (!def_ref(v)) return false; }
  else if ((v !== null && typeof v === 'object' && !Array.isArray(v)) && v["list"] !== undefined) { if (!check38(v)) return false; }
  else if ((v !== null && typeof v === 'object' && !Array.isArray(v)) && v["object"] !== undefined) { if (!check40(v)) return false; }
  else return false;
  return true;
}
function check28(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["name"] === undefined) return false;
    if (v["value"] === undefined) return false;
    if (v["name"] !== undefined && !def_ident(v["name"])) return false;
    if (v["value"] !== undefined && !def_expr(v["value"])) return false;
    for (const k in v) {
      if (!(k === "name" || k === "value") && !false) return false;
    }
  }
  return true;
}
function check27(v) {
  if (!(Array.isArray(v))) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!check28(v[i])) return false;
  }
  return true;
}
function check45(v) {
  if (!(v === null)) return false;
  return true;
}
function check44(v) {
  let matched = 0;
  if (def_ident(v) && ++matched > 1) return false;
  if (check45(v) && ++matched > 1) return false;
  if (matched !== 1) return false;
  return true;
}
function check25(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["op"] === undefined) return false;
    if (v["tool"] === undefined) return false;
    if (v["args"] === undefined) return false;
    if (v["bind"] === undefined) return false;
    if (v["loc"] === undefined) return false;
    if (v["op"] !== undefined && !check26(v["op"])) return false;
    if (v["tool"] !== undefined && !def_toolName(v["tool"])) return false;
    if (v["args"] !== undefined && !check27(v["args"])) return false;
    if (v["bind"] !== undefined && !check44(v["bind"])) return false;
    if (v["loc"] !== undefined && !def_loc(v["loc"])) return false;
    for (const k in v) {
      if (!(k === "op" || k === "tool" || k === "args" || k === "bind" || k === "loc") && !false) return false;
    }
  }
  return true;
}
function check47(v) {
  if (v !== "make") return false;
  return true;
}
function check48(v) {
  if (!(Array.isArray(v))) return false;
  if (Array.isArray(v)) {
    if (v.length < 1) return false;
    for (let i = 0; i < v.length; i++) if (!def_ref(v[i])) return false;
  }
  return true;
}
function check50(v) {
  if (!(typeof v === 'string')) return false;
  return true;
}
function check49(v) {
  if (!(Array.isArray(v))) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!check50(v[i])) return false;
  }
  return true;
}
function check46(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["op"] === undefined) return false;
    if (v["bind"] === undefined) return false;
    if (v["type"] === undefined) return false;
    if (v["inputs"] === undefined) return false;
    if (v["instructions"] === undefined) return false;
    if (v["loc"] === undefined) return false;
    if (v["op"] !== undefined && !check47(v["op"])) return false;
    if (v["bind"] !== undefined && !def_ident(v["bind"])) return false;
    if (v["type"] !== undefined && !def_ident(v["type"])) return false;
    if (v["inputs"] !== undefined && !check48(v["inputs"])) return false;
    if (v["instructions"] !== undefined && !check49(v["instructions"])) return false;
    if (v["loc"] !== undefined && !def_loc(v["loc"])) return false;
    for (const k in v) {
      if (!(k === "op" || k === "bind" || k === "type" || k === "inputs" || k === "instructions" || k === "loc") && !false) return false;
    }
  }
  return true;
}
function check52(v) {
  if (v !== "check") return false;
  return true;
}
function check54(v) {
  if (!(v === "truthy" || v === "has_citations" || v === "valid_diff")) return false;
  return true;
}
function check53(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["op"] === undefined) return false;
    if (v["subject"] === undefined) return false;
    if (v["op"] !== undefined && !check54(v["op"])) return false;
    if (v["subject"] !== undefined && !def_ref(v["subject"])) return false;
    for (const k in v) {
      if (!(k === "op" || k === "subject") && !false) return false;
    }
  }
  return true;
}
function check56(v) {
  if (!(v === "has" || v === "not_includes")) return false;
  return true;
}
function check55(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["op"] === undefined) return false;
    if (v["subject"] === undefined) return false;
    if (v["needle"] === undefined) return false;
    if (v["op"] !== undefined && !check56(v["op"])) return false;
    if (v["subject"] !== undefined && !def_ref(v["subject"])) return false;
    if (v["needle"] !== undefined && !def_expr(v["needle"])) return false;
    for (const k in v) {
      if (!(k === "op" || k === "subject" || k === "needle") && !false) return false;
    }
  }
  return true;
}
function check58(v) {
  if (v !== "touches_only") return false;
  return true;
}
function check57(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["op"] === undefined) return false;
    if (v["subject"] === undefined) return false;
    if (v["allowed"] === undefined) return false;
    if (v["op"] !== undefined && !check58(v["op"])) return false;
    if (v["subject"] !== undefined && !def_ref(v["subject"])) return false;
    if (v["allowed"] !== undefined && !def_expr(v["allowed"])) return false;
    for (const k in v) {
      if (!(k === "op" || k === "subject" || k === "allowed") && !false) return false;
    }
  }
  return true;
}
function def_cond(v) {
  switch ((v !== null && typeof v === 'object' && !Array.isArray(v)) ? v["op"] : undefined) {
    case "truthy":
    case "has_citations":
    case "valid_diff":
      if (!check53(v)) return false;
      break;
    case "has":
    case "not_includes":
      if (!check55(v)) return false;
      break;
    case "touches_only":
      if (!check57(v)) return false;
      break;
    default:
      return false;
  }
  return true;
}
function check59(v) {
  if (!(typeof v === 'string')) return false;
  return true;
}
function check51(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["op"] === undefined) return false;
    if (v["cond"] === undefined) return false;
    if (v["text"] === undefined) return false;
    if (v["loc"] === undefined) return false;
    if (v["op"] !== undefined && !check52(v["op"])) return false;
    if (v["cond"] !== undefined && !def_cond(v["cond"])) return false;
    if (v["text"] !== undefined && !check59(v["text"])) return false;
    if (v["loc"] !== undefined && !def_loc(v["loc"])) return false;
    for (const k in v) {
      if (!(k === "op" || k === "cond" || k === "text" || k === "loc") && !false) return false;
    }
  }
  return true;
}
function check61(v) {
  if (v !== "return") return false;
  return true;
}
function check60(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["op"] === undefined) return false;
    if (v["value"] === undefined) return false;
    if (v["loc"] === undefined) return false;
    if (v["op"] !== undefined && !check61(v["op"])) return false;
    if (v["value"] !== undefined && !def_expr(v["value"])) return false;
    if (v["loc"] !== undefined && !def_loc(v["loc"])) return false;
    for (const k in v) {
      if (!(k === "op" || k === "value" || k === "loc") && !false) return false;
    }
  }
  return true;
}
function check63(v) {
  if (v !== "if") return false;
  return true;
}
function check64(v) {
  if (!(typeof v === 'string')) return false;
  return true;
}
function check62(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["op"] === undefined) return false;
    if (v["cond"] === undefined) return false;
    if (v["text"] === undefined) return false;
    if (v["then"] === undefined) return false;
    if (v["loc"] === undefined) return false;
    if (v["op"] !== undefined && !check63(v["op"])) return false;
    if (v["cond"] !== undefined && !def_cond(v["cond"])) return false;
    if (v["text"] !== undefined && !check64(v["text"])) return false;
    if (v["then"] !== undefined && !def_block(v["then"])) return false;
    if (v["loc"] !== undefined && !def_loc(v["loc"])) return false;
    for (const k in v) {
      if (!(k === "op" || k === "cond" || k === "text" || k === "then" || k === "loc") && !false) return false;
    }
  }
  return true;
}
function check66(v) {
  if (v !== "for") return false;
  return true;
}
function check65(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["op"] === undefined) return false;
    if (v["var"] === undefined) return false;
    if (v["iter"] === undefined) return false;
    if (v["body"] === undefined) return false;
    if (v["loc"] === undefined) return false;
    if (v["op"] !== undefined && !check66(v["op"])) return false;
    if (v["var"] !== undefined && !def_ident(v["var"])) return false;
    if (v["iter"] !== undefined && !def_ref(v["iter"])) return false;
    if (v["body"] !== undefined && !def_block(v["body"])) return false;
    if (v["loc"] !== undefined && !def_loc(v["loc"])) return false;
    for (const k in v) {
      if (!(k === "op" || k === "var" || k === "iter" || k === "body" || k === "loc") && !false) return false;
    }
  }
  return true;
}
function def_step(v) {
  switch ((v !== null && typeof v === 'object' && !Array.isArray(v)) ? v["op"] : undefined) {
    case "call":
      if (!check25(v)) return false;
      break;
    case "make":
      if (!check46(v)) return false;
      break;
    case "check":
      if (!check51(v)) return false;
      break;
    case "return":
      if (!check60(v)) return false;
      break;
    case "if":
      if (!check62(v)) return false;
      break;
    case "for":
      if (!check65(v)) return false;
      break;
    default:
      return false;
  }
  return true;
}
function def_block(v) {
  if (!(Array.isArray(v))) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!def_step(v[i])) return false;
  }
  return true;
}
function check0(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["irVersion"] === undefined) return false;
    if (v["kind"] === undefined) return false;
    if (v["name"] === undefined) return false;
    if (v["version"] === undefined) return false;
    if (v["goal"] === undefined) return false;
    if (v["permissions"] === undefined) return false;
    if (v["needs"] === undefined) return false;
    if (v["budget"] === undefined) return false;
    if (v["steps"] === undefined) return false;
    if (v["irVersion"] !== undefined && !check1(v["irVersion"])) return false;
    if (v["kind"] !== undefined && !check2(v["kind"])) return false;
    if (v["name"] !== undefined && !check3(v["name"])) return false;
    if (v["version"] !== undefined && !check4(v["version"])) return false;
    if (v["goal"] !== undefined && !check5(v["goal"])) return false;
    if (v["source"] !== undefined && !check6(v["source"])) return false;
    if (v["permissions"] !== undefined && !check9(v["permissions"])) return false;
    if (v["needs"] !== undefined && !check16(v["needs"])) return false;
    if (v["budget"] !== undefined && !check22(v["budget"])) return false;
    if (v["steps"] !== undefined && !def_block(v["steps"])) return false;
    for (const k in v) {
      if (!(k === "irVersion" || k === "kind" || k === "name" || k === "version" || k === "goal" || k === "source" || k === "permissions" || k === "needs" || k === "budget" || k === "steps") && !false) return false;
    }
  }
  return true;
}
return check0;
})();

/** schemas/aex-ir-v2.schema.json: true when the document is valid. */
export const checkIRv2: SchemaCheck = (() => {
const pattern0 = new RegExp("^[A-Za-z0-9_-]+$", 'u');
const pattern1 = new RegExp("^[0-9]+(\\.[0-9]+)*$", 'u');
const pattern2 = new RegExp("^[0-9a-f]{64}$", 'u');
const pattern3 = new RegExp("^(\\*|[A-Za-z_*][A-Za-z0-9_*-]*(\\.[A-Za-z_*][A-Za-z0-9_*-]*)*)$", 'u');
const pattern4 = new RegExp("://", 'u');
const pattern5 = new RegExp("^[A-Za-z_][A-Za-z0-9_]*$", 'u');
const pattern6 = new RegExp("^[A-Za-z_][A-Za-z0-9_-]*(\\.[A-Za-z_][A-Za-z0-9_-]*)*$", 'u');
function check1(v) {
  if (v !== "aex-ir/2") return false;
  return true;
}
function check2(v) {
  if (!(v === "task" || v === "policy")) return false;
  return true;
}
function check3(v) {
  if (!(typeof v === 'string')) return false;
  if (typeof v === 'string') {
    if (!pattern0.test(v)) return false;
  }
  return true;
}
function check4(v) {
  if (!(typeof v === 'string')) return false;
  if (typeof v === 'string') {
    if (!pattern1.test(v)) return false;
  }
  return true;
}
function check5(v) {
  if (!(typeof v === 'string')) return false;
  return true;
}
function check7(v) {
  if (!(typeof v === 'string')) return false;
  return true;
}
function check8(v) {
  if (!(typeof v === 'string')) return false;
  if (typeof v === 'string') {
    if (!pattern2.test(v)) return false;
  }
  return true;
}
function check6(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["path"] === undefined) return false;
    if (v["sha256"] === undefined) return false;
    if (v["path"] !== undefined && !check7(v["path"])) return false;
    if (v["sha256"] !== undefined && !check8(v["sha256"])) return false;
    for (const k in v) {
      if (!(k === "path" || k === "sha256") && !false) return false;
    }
  }
  return true;
}
function def_toolPattern(v) {
  if (!(typeof v === 'string')) return false;
  if (typeof v === 'string') {
    if (!pattern3.test(v)) return false;
  }
  return true;
}
function check11(v) {
  if (!(Number.isInteger(v))) return false;
  if (typeof v === 'number' && !(v >= 1)) return false;
  return true;
}
function check12(v) {
  if (!(Number.isInteger(v))) return false;
  if (typeof v === 'number' && !(v >= 1)) return false;
  return true;
}
function def_loc(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["line"] === undefined) return false;
    if (v["column"] === undefined) return false;
    if (v["line"] !== undefined && !check11(v["line"])) return false;
    if (v["column"] !== undefined && !check12(v["column"])) return false;
    for (const k in v) {
      if (!(k === "line" || k === "column") && !false) return false;
    }
  }
  return true;
}
function check13(v) {
  if (!(typeof v === 'string')) return false;
  if (typeof v === 'string') {
    if (v.length < 1) return false;
  }
  return true;
}
function check14(v) {
  if (!(typeof v === 'string')) return false;
  if (typeof v === 'string') {
    if (v.length < 1) return false;
  }
  return true;
}
function check15(v) {
  if (!(typeof v === 'string')) return false;
  if (typeof v === 'string') {
    if (v.length < 1) return false;
  }
  return true;
}
function check16(v) {
  if (!(typeof v === 'string')) return false;
  if (typeof v === 'string') {
    if (v.length < 1) return false;
    if (!pattern4.test(v)) return false;
  }
  return true;
}
function def_ident(v) {
  if (!(typeof v === 'string')) return false;
  if (typeof v === 'string') {
    if (!pattern5.test(v)) return false;
  }
  return true;
}
function check18(v) {
  if (!(Array.isArray(v))) return false;
  if (Array.isArray(v)) {
    if (v.length < 1) return false;
    for (let i = 0; i < v.length; i++) if (!def_ident(v[i])) return false;
  }
  return true;
}
function check19(v) {
  if (!(v === "==" || v === "!=" || v === "in" || v === "not in" || v === "matches" || v === "has")) return false;
  return true;
}
function check20(v) {
  if (!(typeof v === 'string')) return false;
  return true;
}
function check21(v) {
  if (!((typeof v === 'number' && Number.isFinite(v)))) return false;
  return true;
}
function check22(v) {
  if (!(typeof v === 'boolean')) return false;
  return true;
}
function check23(v) {
  if (!(v === null)) return false;
  return true;
}
function check24(v) {
  if (!(Array.isArray(v))) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!def_json(v[i])) return false;
  }
  return true;
}
function check25(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    for (const k in v) {
      if (!(false) && !def_json(v[k])) return false;
    }
  }
  return true;
}
function def_json(v) {
  let matched = 0;
  if (check20(v) && ++matched > 1) return false;
  if (check21(v) && ++matched > 1) return false;
  if (check22(v) && ++matched > 1) return false;
  if (check23(v) && ++matched > 1) return false;
  if (check24(v) && ++matched > 1) return false;
  if (check25(v) && ++matched > 1) return false;
  if (matched !== 1) return false;
  return true;
}
function def_whereTest(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["arg"] === undefined) return false;
    if (v["op"] === undefined) return false;
    if (v["value"] === undefined) return false;
    if (v["arg"] !== undefined && !check18(v["arg"])) return false;
    if (v["op"] !== undefined && !check19(v["op"])) return false;
    if (v["value"] !== undefined && !def_json(v["value"])) return false;
    for (const k in v) {
      if (!(k === "arg" || k === "op" || k === "value") && !false) return false;
    }
  }
  return true;
}
function check17(v) {
  if (!(Array.isArray(v))) return false;
  if (Array.isArray(v)) {
    if (v.length < 1) return false;
    for (let i = 0; i < v.length; i++) if (!def_whereTest(v[i])) return false;
  }
  return true;
}
function check26(v) {
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["command"] !== undefined && !false) return false;
    if (v["host"] !== undefined && !false) return false;
    if (v["url"] !== undefined && !false) return false;
  }
  return true;
}
function check27(v) {
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["path"] !== undefined && !false) return false;
    if (v["host"] !== undefined && !false) return false;
    if (v["url"] !== undefined && !false) return false;
  }
  return true;
}
function check28(v) {
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["path"] !== undefined && !false) return false;
    if (v["command"] !== undefined && !false) return false;
    if (v["url"] !== undefined && !false) return false;
  }
  return true;
}
function check29(v) {
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["path"] !== undefined && !false) return false;
    if (v["command"] !== undefined && !false) return false;
    if (v["host"] !== undefined && !false) return false;
  }
  return true;
}
function def_rule(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["tool"] === undefined) return false;
    if (v["loc"] === undefined) return false;
    if (v["tool"] !== undefined && !def_toolPattern(v["tool"])) return false;
    if (v["loc"] !== undefined && !def_loc(v["loc"])) return false;
    if (v["path"] !== undefined && !check13(v["path"])) return false;
    if (v["command"] !== undefined && !check14(v["command"])) return false;
    if (v["host"] !== undefined && !check15(v["host"])) return false;
    if (v["url"] !== undefined && !check16(v["url"])) return false;
    if (v["where"] !== undefined && !check17(v["where"])) return false;
    for (const k in v) {
      if (!(k === "tool" || k === "loc" || k === "path" || k === "command" || k === "host" || k === "url" || k === "where") && !false) return false;
    }
    if (v["path"] !== undefined && !check26(v)) return false;
    if (v["command"] !== undefined && !check27(v)) return false;
    if (v["host"] !== undefined && !check28(v)) return false;
    if (v["url"] !== undefined && !check29(v)) return false;
  }
  return true;
}
function check10(v) {
  if (!(Array.isArray(v))) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!def_rule(v[i])) return false;
  }
  return true;
}
function check30(v) {
  if (!(Array.isArray(v))) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!def_rule(v[i])) return false;
  }
  return true;
}
function check31(v) {
  if (!(Array.isArray(v))) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!def_rule(v[i])) return false;
  }
  return true;
}
function check9(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["use"] === undefined) return false;
    if (v["deny"] === undefined) return false;
    if (v["confirm"] === undefined) return false;
    if (v["use"] !== undefined && !check10(v["use"])) return false;
    if (v["deny"] !== undefined && !check30(v["deny"])) return false;
    if (v["confirm"] !== undefined && !check31(v["confirm"])) return false;
    for (const k in v) {
      if (!(k === "use" || k === "deny" || k === "confirm") && !false) return false;
    }
  }
  return true;
}
function check34(v) {
  if (!(v === "str" || v === "num" || v === "int" || v === "bool" || v === "file" || v === "url" || v === "json")) return false;
  return true;
}
function check33(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["base"] === undefined) return false;
    if (v["base"] !== undefined && !check34(v["base"])) return false;
    for (const k in v) {
      if (!(k === "base") && !false) return false;
    }
  }
  return true;
}
function check36(v) {
  if (v !== "list") return false;
  return true;
}
function check35(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["base"] === undefined) return false;
    if (v["item"] === undefined) return false;
    if (v["base"] !== undefined && !check36(v["base"])) return false;
    if (v["item"] !== undefined && !def_type(v["item"])) return false;
    for (const k in v) {
      if (!(k === "base" || k === "item") && !false) return false;
    }
  }
  return true;
}
function def_type(v) {
  switch ((v !== null && typeof v === 'object' && !Array.isArray(v)) ? v["base"] : undefined) {
    case "str":
    case "num":
    case "int":
    case "bool":
    case "file":
    case "url":
    case "json":
      if (!check33(v)) return false;
      break;
    case "list":
      if (!check35(v)) return false;
      break;
    default:
      return false;
  }
  return true;
}
function check37(v) {
  if (!(typeof v === 'boolean')) return false;
  return true;
}
function def_need(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["name"] === undefined) return false;
    if (v["type"] === undefined) return false;
    if (v["optional"] === undefined) return false;
    if (v["loc"] === undefined) return false;
    if (v["name"] !== undefined && !def_ident(v["name"])) return false;
    if (v["type"] !== undefined && !def_type(v["type"])) return false;
    if (v["optional"] !== undefined && !check37(v["optional"])) return false;
    if (v["loc"] !== undefined && !def_loc(v["loc"])) return false;
    for (const k in v) {
      if (!(k === "name" || k === "type" || k === "optional" || k === "loc") && !false) return false;
    }
  }
  return true;
}
function check32(v) {
  if (!(Array.isArray(v))) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!def_need(v[i])) return false;
  }
  return true;
}
function check39(v) {
  if (!(Number.isInteger(v))) return false;
  if (typeof v === 'number' && !(v >= 0)) return false;
  return true;
}
function check40(v) {
  if (!(Number.isInteger(v))) return false;
  if (typeof v === 'number' && !(v >= 0)) return false;
  return true;
}
function check38(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["calls"] !== undefined && !check39(v["calls"])) return false;
    for (const k in v) {
      if (!(k === "calls") && !check40(v[k])) return false;
    }
  }
  return true;
}
function check42(v) {
  if (v !== "call") return false;
  return true;
}
function def_toolName(v) {
  if (!(typeof v === 'string')) return false;
  if (typeof v === 'string') {
    if (!pattern6.test(v)) return false;
  }
  return true;
}
function check47(v) {
  if (!(typeof v === 'string')) return false;
  return true;
}
function check48(v) {
  if (!((typeof v === 'number' && Number.isFinite(v)))) return false;
  return true;
}
function check49(v) {
  if (!(typeof v === 'boolean')) return false;
  return true;
}
function check50(v) {
  if (!(v === null)) return false;
  return true;
}
function check46(v) {
  let matched = 0;
  if (check47(v) && ++matched > 1) return false;
  if (check48(v) && ++matched > 1) return false;
  if (check49(v) && ++matched > 1) return false;
  if (check50(v) && ++matched > 1) return false;
  if (matched !== 1) return false;
  return true;
}
function check45(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["lit"] === undefined) return false;
    if (v["lit"] !== undefined && !check46(v["lit"])) return false;
    for (const k in v) {
      if (!(k === "lit") && !false) return false;
    }
  }
  return true;
}
function check53(v) {
  if (!(Number.isInteger(v))) return false;
  if (typeof v === 'number' && !(v >= 0)) return false;
  return true;
}
function check52(v) {
  if (!(def_ident(v) || check53(v))) return false;
  return true;
}
function check51(v) {
  if (!(Array.isArray(v))) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!check52(v[i])) return false;
  }
  return true;
}
function def_ref(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["ref"] === undefined) return false;
    if (v["ref"] !== undefined && !def_ident(v["ref"])) return false;
    if (v["path"] !== undefined && !check51(v["path"])) return false;
    for (const k in v) {
      if (!(k === "ref" || k === "path") && !false) return false;
    }
  }
  return true;
}
function check55(v) {
  if (!(Array.isArray(v))) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!def_expr(v[i])) return false;
  }
  return true;
}
function check54(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["list"] === undefined) return false;
    if (v["list"] !== undefined && !check55(v["list"])) return false;
    for (const k in v) {
      if (!(k === "list") && !false) return false;
    }
  }
  return true;
}
function check59(v) {
  if (!(typeof v === 'string')) return false;
  return true;
}
function check58(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["key"] === undefined) return false;
    if (v["value"] === undefined) return false;
    if (v["key"] !== undefined && !check59(v["key"])) return false;
    if (v["value"] !== undefined && !def_expr(v["value"])) return false;
    for (const k in v) {
      if (!(k === "key" || k === "value") && !false) return false;
    }
  }
  return true;
}
function check57(v) {
  if (!(Array.isArray(v))) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!check58(v[i])) return false;
  }
  return true;
}
function check56(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["object"] === undefined) return false;
    if (v["object"] !== undefined && !check57(v["object"])) return false;
    for (const k in v) {
      if (!(k === "object") && !false) return false;
    }
  }
  return true;
}
function def_expr(v) {
  if ((v !== null && typeof v === 'object' && !Array.isArray(v)) && v["lit"] !== undefined) { if (!check45(v)) return false; }
  else if ((v !== null && typeof v === 'object' && !Array.isArray(v)) && v["ref"] !== undefined) { if (!def_ref(v)) return false; }
  else if ((v !== null && typeof v === 'object' && !Array.isArray(v)) && v["list"] !== undefined) { if (!check54(v)) return false; }
  else if ((v !== null && typeof v === 'object' && !Array.isArray(v)) && v["object"] !== undefined) { if (!check56(v)) return false; }
  else return false;
  return true;
}
function check44(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["name"] === undefined) return false;
    if (v["value"] === undefined) return false;
    if (v["name"] !== undefined && !def_ident(v["name"])) return false;
    if (v["value"] !== undefined && !def_expr(v["value"])) return false;
    for (const k in v) {
      if (!(k === "name" || k === "value") && !false) return false;
    }
  }
  return true;
}
function check43(v) {
  if (!(Array.isArray(v))) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!check44(v[i])) return false;
  }
  return true;
}
function check61(v) {
  if (!(v === null)) return false;
  return true;
}
function check60(v) {
  let matched = 0;
  if (def_ident(v) && ++matched > 1) return false;
  if (check61(v) && ++matched > 1) return false;
  if (matched !== 1) return false;
  return true;
}
function check41(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["op"] === undefined) return false;
    if (v["tool"] === undefined) return false;
    if (v["args"] === undefined) return false;
    if (v["bind"] === undefined) return false;
    if (v["loc"] === undefined) return false;
    if (v["op"] !== undefined && !check42(v["op"])) return false;
    if (v["tool"] !== undefined && !def_toolName(v["tool"])) return false;
    if (v["args"] !== undefined && !check43(v["args"])) return false;
    if (v["bind"] !== undefined && !check60(v["bind"])) return false;
    if (v["loc"] !== undefined && !def_loc(v["loc"])) return false;
    for (const k in v) {
      if (!(k === "op" || k === "tool" || k === "args" || k === "bind" || k === "loc") && !false) return false;
    }
  }
  return true;
}
function check63(v) {
  if (v !== "make") return false;
  return true;
}
function check64(v) {
  if (!(Array.isArray(v))) return false;
  if (Array.isArray(v)) {
    if (v.length < 1) return false;
    for (let i = 0; i < v.length; i++) if (!def_ref(v[i])) return false;
  }
  return true;
}
function check66(v) {
  if (!(typeof v === 'string')) return false;
  return true;
}
function check65(v) {
  if (!(Array.isArray(v))) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!check66(v[i])) return false;
  }
  return true;
}
function check62(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["op"] === undefined) return false;
    if (v["bind"] === undefined) return false;
    if (v["type"] === undefined) return false;
    if (v["inputs"] === undefined) return false;
    if (v["instructions"] === undefined) return false;
    if (v["loc"] === undefined) return false;
    if (v["op"] !== undefined && !check63(v["op"])) return false;
    if (v["bind"] !== undefined && !def_ident(v["bind"])) return false;
    if (v["type"] !== undefined && !def_ident(v["type"])) return false;
    if (v["inputs"] !== undefined && !check64(v["inputs"])) return false;
    if (v["instructions"] !== undefined && !check65(v["instructions"])) return false;
    if (v["loc"] !== undefined && !def_loc(v["loc"])) return false;
    for (const k in v) {
      if (!(k === "op" || k === "bind" || k === "type" || k === "inputs" || k === "instructions" || k === "loc") && !false) return false;
    }
  }
  return true;
}
function check68(v) {
  if (v !== "check") return false;
  return true;
}
function check70(v) {
  if (!(v === "truthy" || v === "has_citations" || v === "valid_diff")) return false;
  return true;
}
function check69(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["op"] === undefined) return false;
    if (v["subject"] === undefined) return false;
    if (v["op"] !== undefined && !check70(v["op"])) return false;
    if (v["subject"] !== undefined && !def_ref(v["subject"])) return false;
    for (const k in v) {
      if (!(k === "op" || k === "subject") && !false) return false;
    }
  }
  return true;
}
function check72(v) {
  if (!(v === "has" || v === "not_includes")) return false;
  return true;
}
function check71(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["op"] === undefined) return false;
    if (v["subject"] === undefined) return false;
    if (v["needle"] === undefined) return false;
    if (v["op"] !== undefined && !check72(v["op"])) return false;
    if (v["subject"] !== undefined && !def_ref(v["subject"])) return false;
    if (v["needle"] !== undefined && !def_expr(v["needle"])) return false;
    for (const k in v) {
      if (!(k === "op" || k === "subject" || k === "needle") && !false) return false;
    }
  }
  return true;
}
function check74(v) {
  if (v !== "touches_only") return false;
  return true;
}
function check73(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["op"] === undefined) return false;
    if (v["subject"] === undefined) return false;
    if (v["allowed"] === undefined) return false;
    if (v["op"] !== undefined && !check74(v["op"])) return false;
    if (v["subject"] !== undefined && !def_ref(v["subject"])) return false;
    if (v["allowed"] !== undefined && !def_expr(v["allowed"])) return false;
    for (const k in v) {
      if (!(k === "op" || k === "subject" || k === "allowed") && !false) return false;
    }
  }
  return true;
}
function def_cond(v) {
  switch ((v !== null && typeof v === 'object' && !Array.isArray(v)) ? v["op"] : undefined) {
    case "truthy":
    case "has_citations":
    case "valid_diff":
      if (!check69(v)) return false;
      break;
    case "has":
    case "not_includes":
      if (!check71(v)) return false;
      break;
    case "touches_only":
      if (!check73(v)) return false;
      break;
    default:
      return false;
  }
  return true;
}
function check75(v) {
  if (!(typeof v === 'string')) return false;
  return true;
}
function check67(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["op"] === undefined) return false;
    if (v["cond"] === undefined) return false;
    if (v["text"] === undefined) return false;
    if (v["loc"] === undefined) return false;
    if (v["op"] !== undefined && !check68(v["op"])) return false;
    if (v["cond"] !== undefined && !def_cond(v["cond"])) return false;
    if (v["text"] !== undefined && !check75(v["text"])) return false;
    if (v["loc"] !== undefined && !def_loc(v["loc"])) return false;
    for (const k in v) {
      if (!(k === "op" || k === "cond" || k === "text" || k === "loc") && !false) return false;
    }
  }
  return true;
}
function check77(v) {
  if (v !== "return") return false;
  return true;
}
function check76(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["op"] === undefined) return false;
    if (v["value"] === undefined) return false;
    if (v["loc"] === undefined) return false;
    if (v["op"] !== undefined && !check77(v["op"])) return false;
    if (v["value"] !== undefined && !def_expr(v["value"])) return false;
    if (v["loc"] !== undefined && !def_loc(v["loc"])) return false;
    for (const k in v) {
      if (!(k === "op" || k === "value" || k === "loc") && !false) return false;
    }
  }
  return true;
}
function check79(v) {
  if (v !== "if") return false;
  return true;
}
function check80(v) {
  if (!(typeof v === 'string')) return false;
  return true;
}
function check78(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["op"] === undefined) return false;
    if (v["cond"] === undefined) return false;
    if (v["text"] === undefined) return false;
    if (v["then"] === undefined) return false;
    if (v["loc"] === undefined) return false;
    if (v["op"] !== undefined && !check79(v["op"])) return false;
    if (v["cond"] !== undefined && !def_cond(v["cond"])) return false;
    if (v["text"] !== undefined && !check80(v["text"])) return false;
    if (v["then"] !== undefined && !def_block(v["then"])) return false;
    if (v["loc"] !== undefined && !def_loc(v["loc"])) return false;
    for (const k in v) {
      if (!(k === "op" || k === "cond" || k === "text" || k === "then" || k === "loc") && !false) return false;
    }
  }
  return true;
}
function check82(v) {
  if (v !== "for") return false;
  return true;
}
function check81(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["op"] === undefined) return false;
    if (v["var"] === undefined) return false;
    if (v["iter"] === undefined) return false;
    if (v["body"] === undefined) return false;
    if (v["loc"] === undefined) return false;
    if (v["op"] !== undefined && !check82(v["op"])) return false;
    if (v["var"] !== undefined && !def_ident(v["var"])) return false;
    if (v["iter"] !== undefined && !def_ref(v["iter"])) return false;
    if (v["body"] !== undefined && !def_block(v["body"])) return false;
    if (v["loc"] !== undefined && !def_loc(v["loc"])) return false;
    for (const k in v) {
      if (!(k === "op" || k === "var" || k === "iter" || k === "body" || k === "loc") && !false) return false;
    }
  }
  return true;
}
function def_step(v) {
  switch ((v !== null && typeof v === 'object' && !Array.isArray(v)) ? v["op"] : undefined) {
    case "call":
      if (!check41(v)) return false;
      break;
    case "make":
      if (!check62(v)) return false;
      break;
    case "check":
      if (!check67(v)) return false;
      break;
    case "return":
      if (!check76(v)) return false;
      break;
    case "if":
      if (!check78(v)) return false;
      break;
    case "for":
      if (!check81(v)) return false;
      break;
    default:
      return false;
  }
  return true;
}
function def_block(v) {
  if (!(Array.isArray(v))) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!def_step(v[i])) return false;
  }
  return true;
}
function check83(v) {
  if (!(Array.isArray(v))) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!def_toolName(v[i])) return false;
    if (!uniqueItems(v)) return false;
  }
  return true;
}
function check0(v) {
  if (!((v !== null && typeof v === 'object' && !Array.isArray(v)))) return false;
  if ((v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (v["irVersion"] === undefined) return false;
    if (v["kind"] === undefined) return false;
    if (v["name"] === undefined) return false;
    if (v["version"] === undefined) return false;
    if (v["goal"] === undefined) return false;
    if (v["permissions"] === undefined) return false;
    if (v["needs"] === undefined) return false;
    if (v["budget"] === undefined) return false;
    if (v["steps"] === undefined) return false;
    if (v["shells"] === undefined) return false;
    if (v["irVersion"] !== undefined && !check1(v["irVersion"])) return false;
    if (v["kind"] !== undefined && !check2(v["kind"])) return false;
    if (v["name"] !== undefined && !check3(v["name"])) return false;
    if (v["version"] !== undefined && !check4(v["version"])) return false;
    if (v["goal"] !== undefined && !check5(v["goal"])) return false;
    if (v["source"] !== undefined && !check6(v["source"])) return false;
    if (v["permissions"] !== undefined && !check9(v["permissions"])) return false;
    if (v["needs"] !== undefined && !check32(v["needs"])) return false;
    if (v["budget"] !== undefined && !check38(v["budget"])) return false;
    if (v["steps"] !== undefined && !def_block(v["steps"])) return false;
    if (v["shells"] !== undefined && !check83(v["shells"])) return false;
    for (const k in v) {
      if (!(k === "irVersion" || k === "kind" || k === "name" || k === "version" || k === "goal" || k === "source" || k === "permissions" || k === "needs" || k === "budget" || k === "steps" || k === "shells") && !false) return false;
    }
  }
  return true;
}
return check0;
})();

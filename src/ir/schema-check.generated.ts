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
function def_type(v) {
  if (!(typeof v === 'object' && v !== null && !Array.isArray(v))) return false;
  switch (v.base) {
    case "str":
    case "num":
    case "int":
    case "bool":
    case "file":
    case "url":
    case "json":
    {
      for (const k46 in v) if (k46 !== "base") return false;
      break;
    }
    case "list":
    {
      const p47 = v.item;
      if (p47 === undefined) return false;
      if (!def_type(p47)) return false;
      for (const k48 in v) if (k48 !== "base" && k48 !== "item") return false;
      break;
    }
    default: return false;
  }
  return true;
}
function def_expr(v) {
  if (!(typeof v === 'object' && v !== null && !Array.isArray(v))) return false;
  if (v.lit !== undefined) {
    const p68 = v.lit;
    if (typeof p68 === 'string') {
    } else if (typeof p68 === 'number' && p68 - p68 === 0) {
    } else if (typeof p68 === 'boolean') {
    } else if (p68 === null) {
    } else return false;
    for (const k69 in v) if (k69 !== "lit") return false;
  } else if (v.ref !== undefined) {
    const p70 = v.ref;
    if (!(typeof p70 === 'string')) return false;
    if (!pattern4.test(p70)) return false;
    const p71 = v.path;
    if (p71 !== undefined) {
      if (!(Array.isArray(p71))) return false;
      for (let i72 = 0; i72 < p71.length; i72++) {
        const p73 = p71[i72];
        if (typeof p73 === 'string') {
          if (!pattern4.test(p73)) return false;
        } else if ((p73 | 0) === p73 || Number.isInteger(p73)) {
          if (!(p73 >= 0)) return false;
        } else return false;
      }
    }
    for (const k74 in v) if (k74 !== "ref" && k74 !== "path") return false;
  } else if (v.list !== undefined) {
    const p75 = v.list;
    if (!(Array.isArray(p75))) return false;
    for (let i76 = 0; i76 < p75.length; i76++) {
      const p77 = p75[i76];
      if (!def_expr(p77)) return false;
    }
    for (const k78 in v) if (k78 !== "list") return false;
  } else if (v.object !== undefined) {
    const p79 = v.object;
    if (!(Array.isArray(p79))) return false;
    for (let i80 = 0; i80 < p79.length; i80++) {
      const p81 = p79[i80];
      if (!(typeof p81 === 'object' && p81 !== null && !Array.isArray(p81))) return false;
      const p82 = p81.key;
      if (!(typeof p82 === 'string')) return false;
      const p83 = p81.value;
      if (p83 === undefined) return false;
      if (!def_expr(p83)) return false;
      for (const k84 in p81) if (k84 !== "key" && k84 !== "value") return false;
    }
    for (const k85 in v) if (k85 !== "object") return false;
  } else return false;
  return true;
}
function def_block(v) {
  if (!(Array.isArray(v))) return false;
  for (let i60 = 0; i60 < v.length; i60++) {
    const p61 = v[i60];
    if (!(typeof p61 === 'object' && p61 !== null && !Array.isArray(p61))) return false;
    switch (p61.op) {
      case "call":
      {
        const p62 = p61.tool;
        if (!(typeof p62 === 'string')) return false;
        if (!pattern5.test(p62)) return false;
        const p63 = p61.args;
        if (!(Array.isArray(p63))) return false;
        for (let i64 = 0; i64 < p63.length; i64++) {
          const p65 = p63[i64];
          if (!(typeof p65 === 'object' && p65 !== null && !Array.isArray(p65))) return false;
          const p66 = p65.name;
          if (!(typeof p66 === 'string')) return false;
          if (!pattern4.test(p66)) return false;
          const p67 = p65.value;
          if (p67 === undefined) return false;
          if (!def_expr(p67)) return false;
          for (const k86 in p65) if (k86 !== "name" && k86 !== "value") return false;
        }
        const p87 = p61.bind;
        if (p87 === undefined) return false;
        if (typeof p87 === 'string') {
          if (!pattern4.test(p87)) return false;
        } else if (p87 === null) {
        } else return false;
        const p88 = p61.loc;
        if (!(typeof p88 === 'object' && p88 !== null && !Array.isArray(p88))) return false;
        const p89 = p88.line;
        if (!((p89 | 0) === p89 || Number.isInteger(p89))) return false;
        if (!(p89 >= 1)) return false;
        const p90 = p88.column;
        if (!((p90 | 0) === p90 || Number.isInteger(p90))) return false;
        if (!(p90 >= 1)) return false;
        for (const k91 in p88) if (k91 !== "line" && k91 !== "column") return false;
        for (const k92 in p61) if (k92 !== "op" && k92 !== "tool" && k92 !== "args" && k92 !== "bind" && k92 !== "loc") return false;
        break;
      }
      case "make":
      {
        const p93 = p61.bind;
        if (!(typeof p93 === 'string')) return false;
        if (!pattern4.test(p93)) return false;
        const p94 = p61.type;
        if (!(typeof p94 === 'string')) return false;
        if (!pattern4.test(p94)) return false;
        const p95 = p61.inputs;
        if (!(Array.isArray(p95))) return false;
        if (p95.length < 1) return false;
        for (let i96 = 0; i96 < p95.length; i96++) {
          const p97 = p95[i96];
          if (!(typeof p97 === 'object' && p97 !== null && !Array.isArray(p97))) return false;
          const p98 = p97.ref;
          if (!(typeof p98 === 'string')) return false;
          if (!pattern4.test(p98)) return false;
          const p99 = p97.path;
          if (p99 !== undefined) {
            if (!(Array.isArray(p99))) return false;
            for (let i100 = 0; i100 < p99.length; i100++) {
              const p101 = p99[i100];
              if (typeof p101 === 'string') {
                if (!pattern4.test(p101)) return false;
              } else if ((p101 | 0) === p101 || Number.isInteger(p101)) {
                if (!(p101 >= 0)) return false;
              } else return false;
            }
          }
          for (const k102 in p97) if (k102 !== "ref" && k102 !== "path") return false;
        }
        const p103 = p61.instructions;
        if (!(Array.isArray(p103))) return false;
        for (let i104 = 0; i104 < p103.length; i104++) {
          const p105 = p103[i104];
          if (!(typeof p105 === 'string')) return false;
        }
        const p106 = p61.loc;
        if (!(typeof p106 === 'object' && p106 !== null && !Array.isArray(p106))) return false;
        const p107 = p106.line;
        if (!((p107 | 0) === p107 || Number.isInteger(p107))) return false;
        if (!(p107 >= 1)) return false;
        const p108 = p106.column;
        if (!((p108 | 0) === p108 || Number.isInteger(p108))) return false;
        if (!(p108 >= 1)) return false;
        for (const k109 in p106) if (k109 !== "line" && k109 !== "column") return false;
        for (const k110 in p61) if (k110 !== "op" && k110 !== "bind" && k110 !== "type" && k110 !== "inputs" && k110 !== "instructions" && k110 !== "loc") return false;
        break;
      }
      case "check":
      {
        const p111 = p61.cond;
        if (p111 === undefined) return false;
        if (!(typeof p111 === 'object' && p111 !== null && !Array.isArray(p111))) return false;
        switch (p111.op) {
          case "truthy":
          case "has_citations":
          case "valid_diff":
          {
            const p112 = p111.subject;
            if (!(typeof p112 === 'object' && p112 !== null && !Array.isArray(p112))) return false;
            const p113 = p112.ref;
            if (!(typeof p113 === 'string')) return false;
            if (!pattern4.test(p113)) return false;
            const p114 = p112.path;
            if (p114 !== undefined) {
              if (!(Array.isArray(p114))) return false;
              for (let i115 = 0; i115 < p114.length; i115++) {
                const p116 = p114[i115];
                if (typeof p116 === 'string') {
                  if (!pattern4.test(p116)) return false;
                } else if ((p116 | 0) === p116 || Number.isInteger(p116)) {
                  if (!(p116 >= 0)) return false;
                } else return false;
              }
            }
            for (const k117 in p112) if (k117 !== "ref" && k117 !== "path") return false;
            for (const k118 in p111) if (k118 !== "op" && k118 !== "subject") return false;
            break;
          }
          case "has":
          case "not_includes":
          {
            const p119 = p111.subject;
            if (!(typeof p119 === 'object' && p119 !== null && !Array.isArray(p119))) return false;
            const p120 = p119.ref;
            if (!(typeof p120 === 'string')) return false;
            if (!pattern4.test(p120)) return false;
            const p121 = p119.path;
            if (p121 !== undefined) {
              if (!(Array.isArray(p121))) return false;
              for (let i122 = 0; i122 < p121.length; i122++) {
                const p123 = p121[i122];
                if (typeof p123 === 'string') {
                  if (!pattern4.test(p123)) return false;
                } else if ((p123 | 0) === p123 || Number.isInteger(p123)) {
                  if (!(p123 >= 0)) return false;
                } else return false;
              }
            }
            for (const k124 in p119) if (k124 !== "ref" && k124 !== "path") return false;
            const p125 = p111.needle;
            if (p125 === undefined) return false;
            if (!def_expr(p125)) return false;
            for (const k126 in p111) if (k126 !== "op" && k126 !== "subject" && k126 !== "needle") return false;
            break;
          }
          case "touches_only":
          {
            const p127 = p111.subject;
            if (!(typeof p127 === 'object' && p127 !== null && !Array.isArray(p127))) return false;
            const p128 = p127.ref;
            if (!(typeof p128 === 'string')) return false;
            if (!pattern4.test(p128)) return false;
            const p129 = p127.path;
            if (p129 !== undefined) {
              if (!(Array.isArray(p129))) return false;
              for (let i130 = 0; i130 < p129.length; i130++) {
                const p131 = p129[i130];
                if (typeof p131 === 'string') {
                  if (!pattern4.test(p131)) return false;
                } else if ((p131 | 0) === p131 || Number.isInteger(p131)) {
                  if (!(p131 >= 0)) return false;
                } else return false;
              }
            }
            for (const k132 in p127) if (k132 !== "ref" && k132 !== "path") return false;
            const p133 = p111.allowed;
            if (p133 === undefined) return false;
            if (!def_expr(p133)) return false;
            for (const k134 in p111) if (k134 !== "op" && k134 !== "subject" && k134 !== "allowed") return false;
            break;
          }
          default: return false;
        }
        const p135 = p61.text;
        if (!(typeof p135 === 'string')) return false;
        const p136 = p61.loc;
        if (!(typeof p136 === 'object' && p136 !== null && !Array.isArray(p136))) return false;
        const p137 = p136.line;
        if (!((p137 | 0) === p137 || Number.isInteger(p137))) return false;
        if (!(p137 >= 1)) return false;
        const p138 = p136.column;
        if (!((p138 | 0) === p138 || Number.isInteger(p138))) return false;
        if (!(p138 >= 1)) return false;
        for (const k139 in p136) if (k139 !== "line" && k139 !== "column") return false;
        for (const k140 in p61) if (k140 !== "op" && k140 !== "cond" && k140 !== "text" && k140 !== "loc") return false;
        break;
      }
      case "return":
      {
        const p141 = p61.value;
        if (p141 === undefined) return false;
        if (!def_expr(p141)) return false;
        const p142 = p61.loc;
        if (!(typeof p142 === 'object' && p142 !== null && !Array.isArray(p142))) return false;
        const p143 = p142.line;
        if (!((p143 | 0) === p143 || Number.isInteger(p143))) return false;
        if (!(p143 >= 1)) return false;
        const p144 = p142.column;
        if (!((p144 | 0) === p144 || Number.isInteger(p144))) return false;
        if (!(p144 >= 1)) return false;
        for (const k145 in p142) if (k145 !== "line" && k145 !== "column") return false;
        for (const k146 in p61) if (k146 !== "op" && k146 !== "value" && k146 !== "loc") return false;
        break;
      }
      case "if":
      {
        const p147 = p61.cond;
        if (p147 === undefined) return false;
        if (!(typeof p147 === 'object' && p147 !== null && !Array.isArray(p147))) return false;
        switch (p147.op) {
          case "truthy":
          case "has_citations":
          case "valid_diff":
          {
            const p148 = p147.subject;
            if (!(typeof p148 === 'object' && p148 !== null && !Array.isArray(p148))) return false;
            const p149 = p148.ref;
            if (!(typeof p149 === 'string')) return false;
            if (!pattern4.test(p149)) return false;
            const p150 = p148.path;
            if (p150 !== undefined) {
              if (!(Array.isArray(p150))) return false;
              for (let i151 = 0; i151 < p150.length; i151++) {
                const p152 = p150[i151];
                if (typeof p152 === 'string') {
                  if (!pattern4.test(p152)) return false;
                } else if ((p152 | 0) === p152 || Number.isInteger(p152)) {
                  if (!(p152 >= 0)) return false;
                } else return false;
              }
            }
            for (const k153 in p148) if (k153 !== "ref" && k153 !== "path") return false;
            for (const k154 in p147) if (k154 !== "op" && k154 !== "subject") return false;
            break;
          }
          case "has":
          case "not_includes":
          {
            const p155 = p147.subject;
            if (!(typeof p155 === 'object' && p155 !== null && !Array.isArray(p155))) return false;
            const p156 = p155.ref;
            if (!(typeof p156 === 'string')) return false;
            if (!pattern4.test(p156)) return false;
            const p157 = p155.path;
            if (p157 !== undefined) {
              if (!(Array.isArray(p157))) return false;
              for (let i158 = 0; i158 < p157.length; i158++) {
                const p159 = p157[i158];
                if (typeof p159 === 'string') {
                  if (!pattern4.test(p159)) return false;
                } else if ((p159 | 0) === p159 || Number.isInteger(p159)) {
                  if (!(p159 >= 0)) return false;
                } else return false;
              }
            }
            for (const k160 in p155) if (k160 !== "ref" && k160 !== "path") return false;
            const p161 = p147.needle;
            if (p161 === undefined) return false;
            if (!def_expr(p161)) return false;
            for (const k162 in p147) if (k162 !== "op" && k162 !== "subject" && k162 !== "needle") return false;
            break;
          }
          case "touches_only":
          {
            const p163 = p147.subject;
            if (!(typeof p163 === 'object' && p163 !== null && !Array.isArray(p163))) return false;
            const p164 = p163.ref;
            if (!(typeof p164 === 'string')) return false;
            if (!pattern4.test(p164)) return false;
            const p165 = p163.path;
            if (p165 !== undefined) {
              if (!(Array.isArray(p165))) return false;
              for (let i166 = 0; i166 < p165.length; i166++) {
                const p167 = p165[i166];
                if (typeof p167 === 'string') {
                  if (!pattern4.test(p167)) return false;
                } else if ((p167 | 0) === p167 || Number.isInteger(p167)) {
                  if (!(p167 >= 0)) return false;
                } else return false;
              }
            }
            for (const k168 in p163) if (k168 !== "ref" && k168 !== "path") return false;
            const p169 = p147.allowed;
            if (p169 === undefined) return false;
            if (!def_expr(p169)) return false;
            for (const k170 in p147) if (k170 !== "op" && k170 !== "subject" && k170 !== "allowed") return false;
            break;
          }
          default: return false;
        }
        const p171 = p61.text;
        if (!(typeof p171 === 'string')) return false;
        const p172 = p61.then;
        if (!def_block(p172)) return false;
        const p173 = p61.loc;
        if (!(typeof p173 === 'object' && p173 !== null && !Array.isArray(p173))) return false;
        const p174 = p173.line;
        if (!((p174 | 0) === p174 || Number.isInteger(p174))) return false;
        if (!(p174 >= 1)) return false;
        const p175 = p173.column;
        if (!((p175 | 0) === p175 || Number.isInteger(p175))) return false;
        if (!(p175 >= 1)) return false;
        for (const k176 in p173) if (k176 !== "line" && k176 !== "column") return false;
        for (const k177 in p61) if (k177 !== "op" && k177 !== "cond" && k177 !== "text" && k177 !== "then" && k177 !== "loc") return false;
        break;
      }
      case "for":
      {
        const p178 = p61.var;
        if (!(typeof p178 === 'string')) return false;
        if (!pattern4.test(p178)) return false;
        const p179 = p61.iter;
        if (!(typeof p179 === 'object' && p179 !== null && !Array.isArray(p179))) return false;
        const p180 = p179.ref;
        if (!(typeof p180 === 'string')) return false;
        if (!pattern4.test(p180)) return false;
        const p181 = p179.path;
        if (p181 !== undefined) {
          if (!(Array.isArray(p181))) return false;
          for (let i182 = 0; i182 < p181.length; i182++) {
            const p183 = p181[i182];
            if (typeof p183 === 'string') {
              if (!pattern4.test(p183)) return false;
            } else if ((p183 | 0) === p183 || Number.isInteger(p183)) {
              if (!(p183 >= 0)) return false;
            } else return false;
          }
        }
        for (const k184 in p179) if (k184 !== "ref" && k184 !== "path") return false;
        const p185 = p61.body;
        if (!def_block(p185)) return false;
        const p186 = p61.loc;
        if (!(typeof p186 === 'object' && p186 !== null && !Array.isArray(p186))) return false;
        const p187 = p186.line;
        if (!((p187 | 0) === p187 || Number.isInteger(p187))) return false;
        if (!(p187 >= 1)) return false;
        const p188 = p186.column;
        if (!((p188 | 0) === p188 || Number.isInteger(p188))) return false;
        if (!(p188 >= 1)) return false;
        for (const k189 in p186) if (k189 !== "line" && k189 !== "column") return false;
        for (const k190 in p61) if (k190 !== "op" && k190 !== "var" && k190 !== "iter" && k190 !== "body" && k190 !== "loc") return false;
        break;
      }
      default: return false;
    }
  }
  return true;
}
function check(v) {
  if (!(typeof v === 'object' && v !== null && !Array.isArray(v))) return false;
  const p0 = v.irVersion;
  if (p0 !== "aex-ir/1") return false;
  const p1 = v.kind;
  if (p1 !== "task" && p1 !== "policy") return false;
  const p2 = v.name;
  if (!(typeof p2 === 'string')) return false;
  if (!pattern0.test(p2)) return false;
  const p3 = v.version;
  if (!(typeof p3 === 'string')) return false;
  if (!pattern1.test(p3)) return false;
  const p4 = v.goal;
  if (!(typeof p4 === 'string')) return false;
  const p5 = v.source;
  if (p5 !== undefined) {
    if (!(typeof p5 === 'object' && p5 !== null && !Array.isArray(p5))) return false;
    const p6 = p5.path;
    if (!(typeof p6 === 'string')) return false;
    const p7 = p5.sha256;
    if (!(typeof p7 === 'string')) return false;
    if (!pattern2.test(p7)) return false;
    for (const k8 in p5) if (k8 !== "path" && k8 !== "sha256") return false;
  }
  const p9 = v.permissions;
  if (!(typeof p9 === 'object' && p9 !== null && !Array.isArray(p9))) return false;
  const p10 = p9.use;
  if (!(Array.isArray(p10))) return false;
  for (let i11 = 0; i11 < p10.length; i11++) {
    const p12 = p10[i11];
    if (!(typeof p12 === 'object' && p12 !== null && !Array.isArray(p12))) return false;
    const p13 = p12.tool;
    if (!(typeof p13 === 'string')) return false;
    if (!pattern3.test(p13)) return false;
    const p14 = p12.path;
    if (p14 !== undefined) {
      if (!(typeof p14 === 'string')) return false;
      if (p14.length < 1) return false;
    }
    const p15 = p12.loc;
    if (!(typeof p15 === 'object' && p15 !== null && !Array.isArray(p15))) return false;
    const p16 = p15.line;
    if (!((p16 | 0) === p16 || Number.isInteger(p16))) return false;
    if (!(p16 >= 1)) return false;
    const p17 = p15.column;
    if (!((p17 | 0) === p17 || Number.isInteger(p17))) return false;
    if (!(p17 >= 1)) return false;
    for (const k18 in p15) if (k18 !== "line" && k18 !== "column") return false;
    for (const k19 in p12) if (k19 !== "tool" && k19 !== "path" && k19 !== "loc") return false;
  }
  const p20 = p9.deny;
  if (!(Array.isArray(p20))) return false;
  for (let i21 = 0; i21 < p20.length; i21++) {
    const p22 = p20[i21];
    if (!(typeof p22 === 'object' && p22 !== null && !Array.isArray(p22))) return false;
    const p23 = p22.tool;
    if (!(typeof p23 === 'string')) return false;
    if (!pattern3.test(p23)) return false;
    const p24 = p22.path;
    if (p24 !== undefined) {
      if (!(typeof p24 === 'string')) return false;
      if (p24.length < 1) return false;
    }
    const p25 = p22.loc;
    if (!(typeof p25 === 'object' && p25 !== null && !Array.isArray(p25))) return false;
    const p26 = p25.line;
    if (!((p26 | 0) === p26 || Number.isInteger(p26))) return false;
    if (!(p26 >= 1)) return false;
    const p27 = p25.column;
    if (!((p27 | 0) === p27 || Number.isInteger(p27))) return false;
    if (!(p27 >= 1)) return false;
    for (const k28 in p25) if (k28 !== "line" && k28 !== "column") return false;
    for (const k29 in p22) if (k29 !== "tool" && k29 !== "path" && k29 !== "loc") return false;
  }
  const p30 = p9.confirm;
  if (!(Array.isArray(p30))) return false;
  for (let i31 = 0; i31 < p30.length; i31++) {
    const p32 = p30[i31];
    if (!(typeof p32 === 'object' && p32 !== null && !Array.isArray(p32))) return false;
    const p33 = p32.tool;
    if (!(typeof p33 === 'string')) return false;
    if (!pattern3.test(p33)) return false;
    const p34 = p32.path;
    if (p34 !== undefined) {
      if (!(typeof p34 === 'string')) return false;
      if (p34.length < 1) return false;
    }
    const p35 = p32.loc;
    if (!(typeof p35 === 'object' && p35 !== null && !Array.isArray(p35))) return false;
    const p36 = p35.line;
    if (!((p36 | 0) === p36 || Number.isInteger(p36))) return false;
    if (!(p36 >= 1)) return false;
    const p37 = p35.column;
    if (!((p37 | 0) === p37 || Number.isInteger(p37))) return false;
    if (!(p37 >= 1)) return false;
    for (const k38 in p35) if (k38 !== "line" && k38 !== "column") return false;
    for (const k39 in p32) if (k39 !== "tool" && k39 !== "path" && k39 !== "loc") return false;
  }
  for (const k40 in p9) if (k40 !== "use" && k40 !== "deny" && k40 !== "confirm") return false;
  const p41 = v.needs;
  if (!(Array.isArray(p41))) return false;
  for (let i42 = 0; i42 < p41.length; i42++) {
    const p43 = p41[i42];
    if (!(typeof p43 === 'object' && p43 !== null && !Array.isArray(p43))) return false;
    const p44 = p43.name;
    if (!(typeof p44 === 'string')) return false;
    if (!pattern4.test(p44)) return false;
    const p45 = p43.type;
    if (p45 === undefined) return false;
    if (!def_type(p45)) return false;
    const p49 = p43.optional;
    if (!(typeof p49 === 'boolean')) return false;
    const p50 = p43.loc;
    if (!(typeof p50 === 'object' && p50 !== null && !Array.isArray(p50))) return false;
    const p51 = p50.line;
    if (!((p51 | 0) === p51 || Number.isInteger(p51))) return false;
    if (!(p51 >= 1)) return false;
    const p52 = p50.column;
    if (!((p52 | 0) === p52 || Number.isInteger(p52))) return false;
    if (!(p52 >= 1)) return false;
    for (const k53 in p50) if (k53 !== "line" && k53 !== "column") return false;
    for (const k54 in p43) if (k54 !== "name" && k54 !== "type" && k54 !== "optional" && k54 !== "loc") return false;
  }
  const p55 = v.budget;
  if (!(typeof p55 === 'object' && p55 !== null && !Array.isArray(p55))) return false;
  const p56 = p55.calls;
  if (p56 !== undefined) {
    if (!((p56 | 0) === p56 || Number.isInteger(p56))) return false;
    if (!(p56 >= 0)) return false;
  }
  for (const k57 in p55) {
    if (!(k57 !== "calls")) continue;
    const p58 = p55[k57];
    if (!((p58 | 0) === p58 || Number.isInteger(p58))) return false;
    if (!(p58 >= 0)) return false;
  }
  const p59 = v.steps;
  if (!def_block(p59)) return false;
  for (const k191 in v) if (k191 !== "irVersion" && k191 !== "kind" && k191 !== "name" && k191 !== "version" && k191 !== "goal" && k191 !== "source" && k191 !== "permissions" && k191 !== "needs" && k191 !== "budget" && k191 !== "steps") return false;
  return true;
}
return check;
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
function def_json(v) {
  if (typeof v === 'string') {
  } else if (typeof v === 'number' && v - v === 0) {
  } else if (typeof v === 'boolean') {
  } else if (v === null) {
  } else if (Array.isArray(v)) {
    for (let i30 = 0; i30 < v.length; i30++) {
      const p31 = v[i30];
      if (!def_json(p31)) return false;
    }
  } else if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    for (const k32 in v) {
      const p33 = v[k32];
      if (!def_json(p33)) return false;
    }
  } else return false;
  return true;
}
function def_type(v) {
  if (!(typeof v === 'object' && v !== null && !Array.isArray(v))) return false;
  switch (v.base) {
    case "str":
    case "num":
    case "int":
    case "bool":
    case "file":
    case "url":
    case "json":
    {
      for (const k86 in v) if (k86 !== "base") return false;
      break;
    }
    case "list":
    {
      const p87 = v.item;
      if (p87 === undefined) return false;
      if (!def_type(p87)) return false;
      for (const k88 in v) if (k88 !== "base" && k88 !== "item") return false;
      break;
    }
    default: return false;
  }
  return true;
}
function def_expr(v) {
  if (!(typeof v === 'object' && v !== null && !Array.isArray(v))) return false;
  if (v.lit !== undefined) {
    const p108 = v.lit;
    if (typeof p108 === 'string') {
    } else if (typeof p108 === 'number' && p108 - p108 === 0) {
    } else if (typeof p108 === 'boolean') {
    } else if (p108 === null) {
    } else return false;
    for (const k109 in v) if (k109 !== "lit") return false;
  } else if (v.ref !== undefined) {
    const p110 = v.ref;
    if (!(typeof p110 === 'string')) return false;
    if (!pattern5.test(p110)) return false;
    const p111 = v.path;
    if (p111 !== undefined) {
      if (!(Array.isArray(p111))) return false;
      for (let i112 = 0; i112 < p111.length; i112++) {
        const p113 = p111[i112];
        if (typeof p113 === 'string') {
          if (!pattern5.test(p113)) return false;
        } else if ((p113 | 0) === p113 || Number.isInteger(p113)) {
          if (!(p113 >= 0)) return false;
        } else return false;
      }
    }
    for (const k114 in v) if (k114 !== "ref" && k114 !== "path") return false;
  } else if (v.list !== undefined) {
    const p115 = v.list;
    if (!(Array.isArray(p115))) return false;
    for (let i116 = 0; i116 < p115.length; i116++) {
      const p117 = p115[i116];
      if (!def_expr(p117)) return false;
    }
    for (const k118 in v) if (k118 !== "list") return false;
  } else if (v.object !== undefined) {
    const p119 = v.object;
    if (!(Array.isArray(p119))) return false;
    for (let i120 = 0; i120 < p119.length; i120++) {
      const p121 = p119[i120];
      if (!(typeof p121 === 'object' && p121 !== null && !Array.isArray(p121))) return false;
      const p122 = p121.key;
      if (!(typeof p122 === 'string')) return false;
      const p123 = p121.value;
      if (p123 === undefined) return false;
      if (!def_expr(p123)) return false;
      for (const k124 in p121) if (k124 !== "key" && k124 !== "value") return false;
    }
    for (const k125 in v) if (k125 !== "object") return false;
  } else return false;
  return true;
}
function def_block(v) {
  if (!(Array.isArray(v))) return false;
  for (let i100 = 0; i100 < v.length; i100++) {
    const p101 = v[i100];
    if (!(typeof p101 === 'object' && p101 !== null && !Array.isArray(p101))) return false;
    switch (p101.op) {
      case "call":
      {
        const p102 = p101.tool;
        if (!(typeof p102 === 'string')) return false;
        if (!pattern6.test(p102)) return false;
        const p103 = p101.args;
        if (!(Array.isArray(p103))) return false;
        for (let i104 = 0; i104 < p103.length; i104++) {
          const p105 = p103[i104];
          if (!(typeof p105 === 'object' && p105 !== null && !Array.isArray(p105))) return false;
          const p106 = p105.name;
          if (!(typeof p106 === 'string')) return false;
          if (!pattern5.test(p106)) return false;
          const p107 = p105.value;
          if (p107 === undefined) return false;
          if (!def_expr(p107)) return false;
          for (const k126 in p105) if (k126 !== "name" && k126 !== "value") return false;
        }
        const p127 = p101.bind;
        if (p127 === undefined) return false;
        if (typeof p127 === 'string') {
          if (!pattern5.test(p127)) return false;
        } else if (p127 === null) {
        } else return false;
        const p128 = p101.loc;
        if (!(typeof p128 === 'object' && p128 !== null && !Array.isArray(p128))) return false;
        const p129 = p128.line;
        if (!((p129 | 0) === p129 || Number.isInteger(p129))) return false;
        if (!(p129 >= 1)) return false;
        const p130 = p128.column;
        if (!((p130 | 0) === p130 || Number.isInteger(p130))) return false;
        if (!(p130 >= 1)) return false;
        for (const k131 in p128) if (k131 !== "line" && k131 !== "column") return false;
        for (const k132 in p101) if (k132 !== "op" && k132 !== "tool" && k132 !== "args" && k132 !== "bind" && k132 !== "loc") return false;
        break;
      }
      case "make":
      {
        const p133 = p101.bind;
        if (!(typeof p133 === 'string')) return false;
        if (!pattern5.test(p133)) return false;
        const p134 = p101.type;
        if (!(typeof p134 === 'string')) return false;
        if (!pattern5.test(p134)) return false;
        const p135 = p101.inputs;
        if (!(Array.isArray(p135))) return false;
        if (p135.length < 1) return false;
        for (let i136 = 0; i136 < p135.length; i136++) {
          const p137 = p135[i136];
          if (!(typeof p137 === 'object' && p137 !== null && !Array.isArray(p137))) return false;
          const p138 = p137.ref;
          if (!(typeof p138 === 'string')) return false;
          if (!pattern5.test(p138)) return false;
          const p139 = p137.path;
          if (p139 !== undefined) {
            if (!(Array.isArray(p139))) return false;
            for (let i140 = 0; i140 < p139.length; i140++) {
              const p141 = p139[i140];
              if (typeof p141 === 'string') {
                if (!pattern5.test(p141)) return false;
              } else if ((p141 | 0) === p141 || Number.isInteger(p141)) {
                if (!(p141 >= 0)) return false;
              } else return false;
            }
          }
          for (const k142 in p137) if (k142 !== "ref" && k142 !== "path") return false;
        }
        const p143 = p101.instructions;
        if (!(Array.isArray(p143))) return false;
        for (let i144 = 0; i144 < p143.length; i144++) {
          const p145 = p143[i144];
          if (!(typeof p145 === 'string')) return false;
        }
        const p146 = p101.loc;
        if (!(typeof p146 === 'object' && p146 !== null && !Array.isArray(p146))) return false;
        const p147 = p146.line;
        if (!((p147 | 0) === p147 || Number.isInteger(p147))) return false;
        if (!(p147 >= 1)) return false;
        const p148 = p146.column;
        if (!((p148 | 0) === p148 || Number.isInteger(p148))) return false;
        if (!(p148 >= 1)) return false;
        for (const k149 in p146) if (k149 !== "line" && k149 !== "column") return false;
        for (const k150 in p101) if (k150 !== "op" && k150 !== "bind" && k150 !== "type" && k150 !== "inputs" && k150 !== "instructions" && k150 !== "loc") return false;
        break;
      }
      case "check":
      {
        const p151 = p101.cond;
        if (p151 === undefined) return false;
        if (!(typeof p151 === 'object' && p151 !== null && !Array.isArray(p151))) return false;
        switch (p151.op) {
          case "truthy":
          case "has_citations":
          case "valid_diff":
          {
            const p152 = p151.subject;
            if (!(typeof p152 === 'object' && p152 !== null && !Array.isArray(p152))) return false;
            const p153 = p152.ref;
            if (!(typeof p153 === 'string')) return false;
            if (!pattern5.test(p153)) return false;
            const p154 = p152.path;
            if (p154 !== undefined) {
              if (!(Array.isArray(p154))) return false;
              for (let i155 = 0; i155 < p154.length; i155++) {
                const p156 = p154[i155];
                if (typeof p156 === 'string') {
                  if (!pattern5.test(p156)) return false;
                } else if ((p156 | 0) === p156 || Number.isInteger(p156)) {
                  if (!(p156 >= 0)) return false;
                } else return false;
              }
            }
            for (const k157 in p152) if (k157 !== "ref" && k157 !== "path") return false;
            for (const k158 in p151) if (k158 !== "op" && k158 !== "subject") return false;
            break;
          }
          case "has":
          case "not_includes":
          {
            const p159 = p151.subject;
            if (!(typeof p159 === 'object' && p159 !== null && !Array.isArray(p159))) return false;
            const p160 = p159.ref;
            if (!(typeof p160 === 'string')) return false;
            if (!pattern5.test(p160)) return false;
            const p161 = p159.path;
            if (p161 !== undefined) {
              if (!(Array.isArray(p161))) return false;
              for (let i162 = 0; i162 < p161.length; i162++) {
                const p163 = p161[i162];
                if (typeof p163 === 'string') {
                  if (!pattern5.test(p163)) return false;
                } else if ((p163 | 0) === p163 || Number.isInteger(p163)) {
                  if (!(p163 >= 0)) return false;
                } else return false;
              }
            }
            for (const k164 in p159) if (k164 !== "ref" && k164 !== "path") return false;
            const p165 = p151.needle;
            if (p165 === undefined) return false;
            if (!def_expr(p165)) return false;
            for (const k166 in p151) if (k166 !== "op" && k166 !== "subject" && k166 !== "needle") return false;
            break;
          }
          case "touches_only":
          {
            const p167 = p151.subject;
            if (!(typeof p167 === 'object' && p167 !== null && !Array.isArray(p167))) return false;
            const p168 = p167.ref;
            if (!(typeof p168 === 'string')) return false;
            if (!pattern5.test(p168)) return false;
            const p169 = p167.path;
            if (p169 !== undefined) {
              if (!(Array.isArray(p169))) return false;
              for (let i170 = 0; i170 < p169.length; i170++) {
                const p171 = p169[i170];
                if (typeof p171 === 'string') {
                  if (!pattern5.test(p171)) return false;
                } else if ((p171 | 0) === p171 || Number.isInteger(p171)) {
                  if (!(p171 >= 0)) return false;
                } else return false;
              }
            }
            for (const k172 in p167) if (k172 !== "ref" && k172 !== "path") return false;
            const p173 = p151.allowed;
            if (p173 === undefined) return false;
            if (!def_expr(p173)) return false;
            for (const k174 in p151) if (k174 !== "op" && k174 !== "subject" && k174 !== "allowed") return false;
            break;
          }
          default: return false;
        }
        const p175 = p101.text;
        if (!(typeof p175 === 'string')) return false;
        const p176 = p101.loc;
        if (!(typeof p176 === 'object' && p176 !== null && !Array.isArray(p176))) return false;
        const p177 = p176.line;
        if (!((p177 | 0) === p177 || Number.isInteger(p177))) return false;
        if (!(p177 >= 1)) return false;
        const p178 = p176.column;
        if (!((p178 | 0) === p178 || Number.isInteger(p178))) return false;
        if (!(p178 >= 1)) return false;
        for (const k179 in p176) if (k179 !== "line" && k179 !== "column") return false;
        for (const k180 in p101) if (k180 !== "op" && k180 !== "cond" && k180 !== "text" && k180 !== "loc") return false;
        break;
      }
      case "return":
      {
        const p181 = p101.value;
        if (p181 === undefined) return false;
        if (!def_expr(p181)) return false;
        const p182 = p101.loc;
        if (!(typeof p182 === 'object' && p182 !== null && !Array.isArray(p182))) return false;
        const p183 = p182.line;
        if (!((p183 | 0) === p183 || Number.isInteger(p183))) return false;
        if (!(p183 >= 1)) return false;
        const p184 = p182.column;
        if (!((p184 | 0) === p184 || Number.isInteger(p184))) return false;
        if (!(p184 >= 1)) return false;
        for (const k185 in p182) if (k185 !== "line" && k185 !== "column") return false;
        for (const k186 in p101) if (k186 !== "op" && k186 !== "value" && k186 !== "loc") return false;
        break;
      }
      case "if":
      {
        const p187 = p101.cond;
        if (p187 === undefined) return false;
        if (!(typeof p187 === 'object' && p187 !== null && !Array.isArray(p187))) return false;
        switch (p187.op) {
          case "truthy":
          case "has_citations":
          case "valid_diff":
          {
            const p188 = p187.subject;
            if (!(typeof p188 === 'object' && p188 !== null && !Array.isArray(p188))) return false;
            const p189 = p188.ref;
            if (!(typeof p189 === 'string')) return false;
            if (!pattern5.test(p189)) return false;
            const p190 = p188.path;
            if (p190 !== undefined) {
              if (!(Array.isArray(p190))) return false;
              for (let i191 = 0; i191 < p190.length; i191++) {
                const p192 = p190[i191];
                if (typeof p192 === 'string') {
                  if (!pattern5.test(p192)) return false;
                } else if ((p192 | 0) === p192 || Number.isInteger(p192)) {
                  if (!(p192 >= 0)) return false;
                } else return false;
              }
            }
            for (const k193 in p188) if (k193 !== "ref" && k193 !== "path") return false;
            for (const k194 in p187) if (k194 !== "op" && k194 !== "subject") return false;
            break;
          }
          case "has":
          case "not_includes":
          {
            const p195 = p187.subject;
            if (!(typeof p195 === 'object' && p195 !== null && !Array.isArray(p195))) return false;
            const p196 = p195.ref;
            if (!(typeof p196 === 'string')) return false;
            if (!pattern5.test(p196)) return false;
            const p197 = p195.path;
            if (p197 !== undefined) {
              if (!(Array.isArray(p197))) return false;
              for (let i198 = 0; i198 < p197.length; i198++) {
                const p199 = p197[i198];
                if (typeof p199 === 'string') {
                  if (!pattern5.test(p199)) return false;
                } else if ((p199 | 0) === p199 || Number.isInteger(p199)) {
                  if (!(p199 >= 0)) return false;
                } else return false;
              }
            }
            for (const k200 in p195) if (k200 !== "ref" && k200 !== "path") return false;
            const p201 = p187.needle;
            if (p201 === undefined) return false;
            if (!def_expr(p201)) return false;
            for (const k202 in p187) if (k202 !== "op" && k202 !== "subject" && k202 !== "needle") return false;
            break;
          }
          case "touches_only":
          {
            const p203 = p187.subject;
            if (!(typeof p203 === 'object' && p203 !== null && !Array.isArray(p203))) return false;
            const p204 = p203.ref;
            if (!(typeof p204 === 'string')) return false;
            if (!pattern5.test(p204)) return false;
            const p205 = p203.path;
            if (p205 !== undefined) {
              if (!(Array.isArray(p205))) return false;
              for (let i206 = 0; i206 < p205.length; i206++) {
                const p207 = p205[i206];
                if (typeof p207 === 'string') {
                  if (!pattern5.test(p207)) return false;
                } else if ((p207 | 0) === p207 || Number.isInteger(p207)) {
                  if (!(p207 >= 0)) return false;
                } else return false;
              }
            }
            for (const k208 in p203) if (k208 !== "ref" && k208 !== "path") return false;
            const p209 = p187.allowed;
            if (p209 === undefined) return false;
            if (!def_expr(p209)) return false;
            for (const k210 in p187) if (k210 !== "op" && k210 !== "subject" && k210 !== "allowed") return false;
            break;
          }
          default: return false;
        }
        const p211 = p101.text;
        if (!(typeof p211 === 'string')) return false;
        const p212 = p101.then;
        if (!def_block(p212)) return false;
        const p213 = p101.loc;
        if (!(typeof p213 === 'object' && p213 !== null && !Array.isArray(p213))) return false;
        const p214 = p213.line;
        if (!((p214 | 0) === p214 || Number.isInteger(p214))) return false;
        if (!(p214 >= 1)) return false;
        const p215 = p213.column;
        if (!((p215 | 0) === p215 || Number.isInteger(p215))) return false;
        if (!(p215 >= 1)) return false;
        for (const k216 in p213) if (k216 !== "line" && k216 !== "column") return false;
        for (const k217 in p101) if (k217 !== "op" && k217 !== "cond" && k217 !== "text" && k217 !== "then" && k217 !== "loc") return false;
        break;
      }
      case "for":
      {
        const p218 = p101.var;
        if (!(typeof p218 === 'string')) return false;
        if (!pattern5.test(p218)) return false;
        const p219 = p101.iter;
        if (!(typeof p219 === 'object' && p219 !== null && !Array.isArray(p219))) return false;
        const p220 = p219.ref;
        if (!(typeof p220 === 'string')) return false;
        if (!pattern5.test(p220)) return false;
        const p221 = p219.path;
        if (p221 !== undefined) {
          if (!(Array.isArray(p221))) return false;
          for (let i222 = 0; i222 < p221.length; i222++) {
            const p223 = p221[i222];
            if (typeof p223 === 'string') {
              if (!pattern5.test(p223)) return false;
            } else if ((p223 | 0) === p223 || Number.isInteger(p223)) {
              if (!(p223 >= 0)) return false;
            } else return false;
          }
        }
        for (const k224 in p219) if (k224 !== "ref" && k224 !== "path") return false;
        const p225 = p101.body;
        if (!def_block(p225)) return false;
        const p226 = p101.loc;
        if (!(typeof p226 === 'object' && p226 !== null && !Array.isArray(p226))) return false;
        const p227 = p226.line;
        if (!((p227 | 0) === p227 || Number.isInteger(p227))) return false;
        if (!(p227 >= 1)) return false;
        const p228 = p226.column;
        if (!((p228 | 0) === p228 || Number.isInteger(p228))) return false;
        if (!(p228 >= 1)) return false;
        for (const k229 in p226) if (k229 !== "line" && k229 !== "column") return false;
        for (const k230 in p101) if (k230 !== "op" && k230 !== "var" && k230 !== "iter" && k230 !== "body" && k230 !== "loc") return false;
        break;
      }
      default: return false;
    }
  }
  return true;
}
function check(v) {
  if (!(typeof v === 'object' && v !== null && !Array.isArray(v))) return false;
  const p0 = v.irVersion;
  if (p0 !== "aex-ir/2") return false;
  const p1 = v.kind;
  if (p1 !== "task" && p1 !== "policy") return false;
  const p2 = v.name;
  if (!(typeof p2 === 'string')) return false;
  if (!pattern0.test(p2)) return false;
  const p3 = v.version;
  if (!(typeof p3 === 'string')) return false;
  if (!pattern1.test(p3)) return false;
  const p4 = v.goal;
  if (!(typeof p4 === 'string')) return false;
  const p5 = v.source;
  if (p5 !== undefined) {
    if (!(typeof p5 === 'object' && p5 !== null && !Array.isArray(p5))) return false;
    const p6 = p5.path;
    if (!(typeof p6 === 'string')) return false;
    const p7 = p5.sha256;
    if (!(typeof p7 === 'string')) return false;
    if (!pattern2.test(p7)) return false;
    for (const k8 in p5) if (k8 !== "path" && k8 !== "sha256") return false;
  }
  const p9 = v.permissions;
  if (!(typeof p9 === 'object' && p9 !== null && !Array.isArray(p9))) return false;
  const p10 = p9.use;
  if (!(Array.isArray(p10))) return false;
  for (let i11 = 0; i11 < p10.length; i11++) {
    const p12 = p10[i11];
    if (!(typeof p12 === 'object' && p12 !== null && !Array.isArray(p12))) return false;
    const p13 = p12.tool;
    if (!(typeof p13 === 'string')) return false;
    if (!pattern3.test(p13)) return false;
    const p14 = p12.loc;
    if (!(typeof p14 === 'object' && p14 !== null && !Array.isArray(p14))) return false;
    const p15 = p14.line;
    if (!((p15 | 0) === p15 || Number.isInteger(p15))) return false;
    if (!(p15 >= 1)) return false;
    const p16 = p14.column;
    if (!((p16 | 0) === p16 || Number.isInteger(p16))) return false;
    if (!(p16 >= 1)) return false;
    for (const k17 in p14) if (k17 !== "line" && k17 !== "column") return false;
    const p18 = p12.path;
    if (p18 !== undefined) {
      if (!(typeof p18 === 'string')) return false;
      if (p18.length < 1) return false;
    }
    const p19 = p12.command;
    if (p19 !== undefined) {
      if (!(typeof p19 === 'string')) return false;
      if (p19.length < 1) return false;
    }
    const p20 = p12.host;
    if (p20 !== undefined) {
      if (!(typeof p20 === 'string')) return false;
      if (p20.length < 1) return false;
    }
    const p21 = p12.url;
    if (p21 !== undefined) {
      if (!(typeof p21 === 'string')) return false;
      if (p21.length < 1) return false;
      if (!pattern4.test(p21)) return false;
    }
    const p22 = p12.where;
    if (p22 !== undefined) {
      if (!(Array.isArray(p22))) return false;
      if (p22.length < 1) return false;
      for (let i23 = 0; i23 < p22.length; i23++) {
        const p24 = p22[i23];
        if (!(typeof p24 === 'object' && p24 !== null && !Array.isArray(p24))) return false;
        const p25 = p24.arg;
        if (!(Array.isArray(p25))) return false;
        if (p25.length < 1) return false;
        for (let i26 = 0; i26 < p25.length; i26++) {
          const p27 = p25[i26];
          if (!(typeof p27 === 'string')) return false;
          if (!pattern5.test(p27)) return false;
        }
        const p28 = p24.op;
        if (p28 !== "==" && p28 !== "!=" && p28 !== "in" && p28 !== "not in" && p28 !== "matches" && p28 !== "has") return false;
        const p29 = p24.value;
        if (p29 === undefined) return false;
        if (!def_json(p29)) return false;
        for (const k34 in p24) if (k34 !== "arg" && k34 !== "op" && k34 !== "value") return false;
      }
    }
    for (const k35 in p12) if (k35 !== "tool" && k35 !== "loc" && k35 !== "path" && k35 !== "command" && k35 !== "host" && k35 !== "url" && k35 !== "where") return false;
    if (p12.path !== undefined) {
      if (p12.command !== undefined) return false;
      if (p12.host !== undefined) return false;
      if (p12.url !== undefined) return false;
    }
    if (p12.command !== undefined) {
      if (p12.path !== undefined) return false;
      if (p12.host !== undefined) return false;
      if (p12.url !== undefined) return false;
    }
    if (p12.host !== undefined) {
      if (p12.path !== undefined) return false;
      if (p12.command !== undefined) return false;
      if (p12.url !== undefined) return false;
    }
    if (p12.url !== undefined) {
      if (p12.path !== undefined) return false;
      if (p12.command !== undefined) return false;
      if (p12.host !== undefined) return false;
    }
  }
  const p36 = p9.deny;
  if (!(Array.isArray(p36))) return false;
  for (let i37 = 0; i37 < p36.length; i37++) {
    const p38 = p36[i37];
    if (!(typeof p38 === 'object' && p38 !== null && !Array.isArray(p38))) return false;
    const p39 = p38.tool;
    if (!(typeof p39 === 'string')) return false;
    if (!pattern3.test(p39)) return false;
    const p40 = p38.loc;
    if (!(typeof p40 === 'object' && p40 !== null && !Array.isArray(p40))) return false;
    const p41 = p40.line;
    if (!((p41 | 0) === p41 || Number.isInteger(p41))) return false;
    if (!(p41 >= 1)) return false;
    const p42 = p40.column;
    if (!((p42 | 0) === p42 || Number.isInteger(p42))) return false;
    if (!(p42 >= 1)) return false;
    for (const k43 in p40) if (k43 !== "line" && k43 !== "column") return false;
    const p44 = p38.path;
    if (p44 !== undefined) {
      if (!(typeof p44 === 'string')) return false;
      if (p44.length < 1) return false;
    }
    const p45 = p38.command;
    if (p45 !== undefined) {
      if (!(typeof p45 === 'string')) return false;
      if (p45.length < 1) return false;
    }
    const p46 = p38.host;
    if (p46 !== undefined) {
      if (!(typeof p46 === 'string')) return false;
      if (p46.length < 1) return false;
    }
    const p47 = p38.url;
    if (p47 !== undefined) {
      if (!(typeof p47 === 'string')) return false;
      if (p47.length < 1) return false;
      if (!pattern4.test(p47)) return false;
    }
    const p48 = p38.where;
    if (p48 !== undefined) {
      if (!(Array.isArray(p48))) return false;
      if (p48.length < 1) return false;
      for (let i49 = 0; i49 < p48.length; i49++) {
        const p50 = p48[i49];
        if (!(typeof p50 === 'object' && p50 !== null && !Array.isArray(p50))) return false;
        const p51 = p50.arg;
        if (!(Array.isArray(p51))) return false;
        if (p51.length < 1) return false;
        for (let i52 = 0; i52 < p51.length; i52++) {
          const p53 = p51[i52];
          if (!(typeof p53 === 'string')) return false;
          if (!pattern5.test(p53)) return false;
        }
        const p54 = p50.op;
        if (p54 !== "==" && p54 !== "!=" && p54 !== "in" && p54 !== "not in" && p54 !== "matches" && p54 !== "has") return false;
        const p55 = p50.value;
        if (p55 === undefined) return false;
        if (!def_json(p55)) return false;
        for (const k56 in p50) if (k56 !== "arg" && k56 !== "op" && k56 !== "value") return false;
      }
    }
    for (const k57 in p38) if (k57 !== "tool" && k57 !== "loc" && k57 !== "path" && k57 !== "command" && k57 !== "host" && k57 !== "url" && k57 !== "where") return false;
    if (p38.path !== undefined) {
      if (p38.command !== undefined) return false;
      if (p38.host !== undefined) return false;
      if (p38.url !== undefined) return false;
    }
    if (p38.command !== undefined) {
      if (p38.path !== undefined) return false;
      if (p38.host !== undefined) return false;
      if (p38.url !== undefined) return false;
    }
    if (p38.host !== undefined) {
      if (p38.path !== undefined) return false;
      if (p38.command !== undefined) return false;
      if (p38.url !== undefined) return false;
    }
    if (p38.url !== undefined) {
      if (p38.path !== undefined) return false;
      if (p38.command !== undefined) return false;
      if (p38.host !== undefined) return false;
    }
  }
  const p58 = p9.confirm;
  if (!(Array.isArray(p58))) return false;
  for (let i59 = 0; i59 < p58.length; i59++) {
    const p60 = p58[i59];
    if (!(typeof p60 === 'object' && p60 !== null && !Array.isArray(p60))) return false;
    const p61 = p60.tool;
    if (!(typeof p61 === 'string')) return false;
    if (!pattern3.test(p61)) return false;
    const p62 = p60.loc;
    if (!(typeof p62 === 'object' && p62 !== null && !Array.isArray(p62))) return false;
    const p63 = p62.line;
    if (!((p63 | 0) === p63 || Number.isInteger(p63))) return false;
    if (!(p63 >= 1)) return false;
    const p64 = p62.column;
    if (!((p64 | 0) === p64 || Number.isInteger(p64))) return false;
    if (!(p64 >= 1)) return false;
    for (const k65 in p62) if (k65 !== "line" && k65 !== "column") return false;
    const p66 = p60.path;
    if (p66 !== undefined) {
      if (!(typeof p66 === 'string')) return false;
      if (p66.length < 1) return false;
    }
    const p67 = p60.command;
    if (p67 !== undefined) {
      if (!(typeof p67 === 'string')) return false;
      if (p67.length < 1) return false;
    }
    const p68 = p60.host;
    if (p68 !== undefined) {
      if (!(typeof p68 === 'string')) return false;
      if (p68.length < 1) return false;
    }
    const p69 = p60.url;
    if (p69 !== undefined) {
      if (!(typeof p69 === 'string')) return false;
      if (p69.length < 1) return false;
      if (!pattern4.test(p69)) return false;
    }
    const p70 = p60.where;
    if (p70 !== undefined) {
      if (!(Array.isArray(p70))) return false;
      if (p70.length < 1) return false;
      for (let i71 = 0; i71 < p70.length; i71++) {
        const p72 = p70[i71];
        if (!(typeof p72 === 'object' && p72 !== null && !Array.isArray(p72))) return false;
        const p73 = p72.arg;
        if (!(Array.isArray(p73))) return false;
        if (p73.length < 1) return false;
        for (let i74 = 0; i74 < p73.length; i74++) {
          const p75 = p73[i74];
          if (!(typeof p75 === 'string')) return false;
          if (!pattern5.test(p75)) return false;
        }
        const p76 = p72.op;
        if (p76 !== "==" && p76 !== "!=" && p76 !== "in" && p76 !== "not in" && p76 !== "matches" && p76 !== "has") return false;
        const p77 = p72.value;
        if (p77 === undefined) return false;
        if (!def_json(p77)) return false;
        for (const k78 in p72) if (k78 !== "arg" && k78 !== "op" && k78 !== "value") return false;
      }
    }
    for (const k79 in p60) if (k79 !== "tool" && k79 !== "loc" && k79 !== "path" && k79 !== "command" && k79 !== "host" && k79 !== "url" && k79 !== "where") return false;
    if (p60.path !== undefined) {
      if (p60.command !== undefined) return false;
      if (p60.host !== undefined) return false;
      if (p60.url !== undefined) return false;
    }
    if (p60.command !== undefined) {
      if (p60.path !== undefined) return false;
      if (p60.host !== undefined) return false;
      if (p60.url !== undefined) return false;
    }
    if (p60.host !== undefined) {
      if (p60.path !== undefined) return false;
      if (p60.command !== undefined) return false;
      if (p60.url !== undefined) return false;
    }
    if (p60.url !== undefined) {
      if (p60.path !== undefined) return false;
      if (p60.command !== undefined) return false;
      if (p60.host !== undefined) return false;
    }
  }
  for (const k80 in p9) if (k80 !== "use" && k80 !== "deny" && k80 !== "confirm") return false;
  const p81 = v.needs;
  if (!(Array.isArray(p81))) return false;
  for (let i82 = 0; i82 < p81.length; i82++) {
    const p83 = p81[i82];
    if (!(typeof p83 === 'object' && p83 !== null && !Array.isArray(p83))) return false;
    const p84 = p83.name;
    if (!(typeof p84 === 'string')) return false;
    if (!pattern5.test(p84)) return false;
    const p85 = p83.type;
    if (p85 === undefined) return false;
    if (!def_type(p85)) return false;
    const p89 = p83.optional;
    if (!(typeof p89 === 'boolean')) return false;
    const p90 = p83.loc;
    if (!(typeof p90 === 'object' && p90 !== null && !Array.isArray(p90))) return false;
    const p91 = p90.line;
    if (!((p91 | 0) === p91 || Number.isInteger(p91))) return false;
    if (!(p91 >= 1)) return false;
    const p92 = p90.column;
    if (!((p92 | 0) === p92 || Number.isInteger(p92))) return false;
    if (!(p92 >= 1)) return false;
    for (const k93 in p90) if (k93 !== "line" && k93 !== "column") return false;
    for (const k94 in p83) if (k94 !== "name" && k94 !== "type" && k94 !== "optional" && k94 !== "loc") return false;
  }
  const p95 = v.budget;
  if (!(typeof p95 === 'object' && p95 !== null && !Array.isArray(p95))) return false;
  const p96 = p95.calls;
  if (p96 !== undefined) {
    if (!((p96 | 0) === p96 || Number.isInteger(p96))) return false;
    if (!(p96 >= 0)) return false;
  }
  for (const k97 in p95) {
    if (!(k97 !== "calls")) continue;
    const p98 = p95[k97];
    if (!((p98 | 0) === p98 || Number.isInteger(p98))) return false;
    if (!(p98 >= 0)) return false;
  }
  const p99 = v.steps;
  if (!def_block(p99)) return false;
  const p231 = v.shells;
  if (!(Array.isArray(p231))) return false;
  for (let i232 = 0; i232 < p231.length; i232++) {
    const p233 = p231[i232];
    if (!(typeof p233 === 'string')) return false;
    if (!pattern6.test(p233)) return false;
  }
  if (!uniqueItems(p231)) return false;
  for (const k234 in v) if (k234 !== "irVersion" && k234 !== "kind" && k234 !== "name" && k234 !== "version" && k234 !== "goal" && k234 !== "source" && k234 !== "permissions" && k234 !== "needs" && k234 !== "budget" && k234 !== "steps" && k234 !== "shells") return false;
  return true;
}
return check;
})();

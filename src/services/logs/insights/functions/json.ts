/**
 * JSON functions: jsonparse, jsonstringify, jsonarraysize, jsonarraycontains.
 *
 * jsonParse() gives a map or list (type json: its JSON text) only for an object or array; other
 * text gives no value. jsonStringify() is the inverse and gives no value for anything that is not
 * a map or list. The array functions also take JSON text directly.
 */
import { NULL_TEXT, asText, ofBool, ofNum, ofText, type Val } from '../values.ts';
import type { FnContext, FunctionTable } from './types.ts';

export const JSON_FUNCTIONS: FunctionTable = {
  jsonparse: (f) => {
    const s = f.text(0);
    return { sql: `if(isValidJSON(ifNull(${s}, '')) AND match(ifNull(${s}, ''), '^\\\\s*[\\\\[{]'), ${s}, ${NULL_TEXT})`, type: 'json' };
  },
  jsonstringify: (f) => {
    const v = f.arg(0);
    return ofText(v.type === 'json' ? v.sql : NULL_TEXT);
  },
  jsonarraysize: (f) => {
    const s = jsonText(f, f.arg(0));
    return ofNum(`if(JSONType(${s}) = 'Array', toFloat64(JSONLength(${s})), NULL)`);
  },
  jsonarraycontains: (f) => {
    const s = jsonText(f, f.arg(0));
    return ofBool(`(JSONType(${s}) = 'Array' AND has(JSONExtract(${s}, 'Array(Nullable(String))'), ${f.text(1)}))`);
  },
};

/** A map/list or a text value as JSON text ('' when missing). */
function jsonText(f: FnContext, v: Val): string {
  return `ifNull(${v.type === 'json' ? v.sql : asText(f.cx, v)}, '')`;
}

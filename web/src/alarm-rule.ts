// The alarms a composite alarm's AlarmRule refers to, read in the browser so the alarm list can show
// every composite's children without one DescribeAlarms(ChildrenOfAlarmName) call per row.

const KEYWORDS = new Set(['ALARM', 'OK', 'INSUFFICIENT_DATA', 'TRUE', 'FALSE', 'AND', 'OR', 'NOT', 'AT_LEAST']);

type Token = { kind: 'word' | 'string'; text: string } | { kind: '(' | ')' | ',' };

/** Tokens as the server's lexer reads them: quoted names (with \" escapes) or bare words. */
function lex(rule: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < rule.length;) {
    const ch = rule[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')' || ch === ',') {
      out.push({ kind: ch });
      i++;
    } else if (ch === '"') {
      let text = '';
      for (i++; i < rule.length && rule[i] !== '"'; i++) text += rule[i] === '\\' && i + 1 < rule.length ? rule[++i] : rule[i];
      out.push({ kind: 'string', text });
      i++;
    } else {
      const start = i;
      while (i < rule.length && !/[\s(),"]/.test(rule[i])) i++;
      out.push({ kind: 'word', text: rule.slice(start, i) });
    }
  }
  return out;
}

/**
 * Alarm names referenced by the rule, in order of first use. A reference is a quoted name, or a bare
 * word right after "(" or "," that is not a keyword, a count/percentage (AT_LEAST) or a function name.
 * ARNs are reduced to the alarm name (the part after ":alarm:").
 */
export function ruleChildren(rule: string): string[] {
  const tokens = lex(rule);
  const names: string[] = [];
  tokens.forEach((t, i) => {
    if (t.kind !== 'string' && t.kind !== 'word') return;
    const prev = tokens[i - 1]?.kind;
    if (t.kind === 'word' && (!(prev === '(' || prev === ',') || KEYWORDS.has(t.text) || /^\d+%?$/.test(t.text) || tokens[i + 1]?.kind === '(')) return;
    const at = t.text.indexOf(':alarm:');
    const name = t.text.startsWith('arn:') && at >= 0 ? t.text.slice(at + ':alarm:'.length) : t.text;
    if (!names.includes(name)) names.push(name);
  });
  return names;
}

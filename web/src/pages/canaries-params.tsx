// A blueprint's parameters as form fields (`param:<NAME>`), each edited like its default: text,
// a number, a checkbox, one value per line, or JSON; the parameter's description is its label.
import type { Blueprint, BlueprintParam } from '../../../src/services/synthetics/blueprints/index.ts';
import { fieldText, paramKind } from './canaries-blueprint.ts';

function ParamField({ p }: { p: BlueprintParam }) {
  const name = `param:${p.name}`;
  const label = `${p.name} — ${p.description}`;
  switch (paramKind(p)) {
    case 'boolean':
      return <label><input type="checkbox" name={name} defaultChecked={p.default === true} /> {label}</label>;
    case 'number':
      return <label>{label}<input name={name} type="number" step="any" required defaultValue={fieldText(p)} /></label>;
    case 'lines':
      return <label>{label} (one per line)<textarea name={name} rows={3} required defaultValue={fieldText(p)} spellCheck={false} /></label>;
    case 'json':
      return (
        <label>{label} (JSON)
          <textarea name={name} rows={6} required defaultValue={fieldText(p)} spellCheck={false} style={{ fontFamily: 'monospace', width: '100%' }} />
        </label>
      );
    default:
      return <label>{label}<input name={name} required defaultValue={fieldText(p)} /></label>;
  }
}

export function ParamFields({ blueprint }: { blueprint: Blueprint }) {
  return (
    <fieldset aria-label="Blueprint parameters" style={{ display: 'grid', gap: 10, border: '1px solid var(--border)', borderRadius: 6 }}>
      <legend className="muted">{blueprint.title} parameters</legend>
      {blueprint.params.map((p) => <ParamField key={p.name} p={p} />)}
    </fieldset>
  );
}

// One canary run, read from its artifacts: the steps of the SyntheticsReport, the screenshots, the
// HAR waterfall, the run's log and every file for download.
import { useState } from 'react';
import type { CanaryRun } from '@aws-sdk/client-synthetics';
import { useSession } from '../app-context.ts';
import { buttonAction } from '../form-action.ts';
import { formatTime } from '../time.ts';
import { AsyncView, ErrorBox, StateBadge, useAsync } from '../ui.tsx';
import { artifactBlob, artifactText, formatDuration, listArtifacts } from './canaries-api.ts';
import { classifyArtifacts, harRows, parseReport, screenshotGroups, type Report } from './canaries-artifacts.ts';
import { HarWaterfall } from './canaries-har.tsx';
import { Screenshots } from './canaries-screenshots.tsx';

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** The run's files and the parsed report, HAR and log (each missing when the run did not write it). */
function useRunArtifacts(canary: string, runId: string) {
  const c = useSession();
  return useAsync(async () => {
    const files = classifyArtifacts(await listArtifacts(c.config, canary, runId));
    const read = (f: string | undefined) => (f ? artifactText(c.config, canary, runId, f) : Promise.resolve(undefined));
    const [report, har, log] = await Promise.all([read(files.report), read(files.har), read(files.logs[0])]);
    return {
      files,
      report: report === undefined ? undefined : parseReport(parse(report)),
      har: har === undefined ? undefined : harRows(parse(har)),
      log,
    };
  }, [canary, runId]);
}

export function RunView({ canary, run, baseRunId }: { canary: string; run: CanaryRun; /** The visual monitoring base run. */ baseRunId?: string }) {
  const artifacts = useRunArtifacts(canary, run.Id!);
  const target = { canary, runId: run.Id! };
  return (
    <section className="panel" aria-label={`Run ${run.Id}`}>
      <h3>Run {formatTime(run.Timeline?.Started)} <StateBadge state={run.Status?.State} /></h3>
      {run.Status?.StateReason && <p className="muted">{run.Status.StateReason}</p>}
      <AsyncView state={artifacts} isEmpty={(a) => a.files.images.length + a.files.logs.length + a.files.other.length === 0 && !a.files.report && !a.files.har}
        empty="This run has no artifacts (yet).">
        {({ files, report, har, log }) => (
          <>
            <h4>Steps</h4>
            {report ? <StepTable report={report} /> : <p className="muted">The run wrote no report.</p>}
            <h4>Screenshots</h4>
            <Screenshots run={target} groups={screenshotGroups(files.images)} baseRunId={baseRunId} />
            <h4>HTTP requests</h4>
            {har ? <HarWaterfall rows={har} /> : <p className="muted">The run recorded no HAR file.</p>}
            <h4>Log</h4>
            {log === undefined ? <p className="muted">The run wrote no log.</p> : <pre className="run-log" aria-label="Run log">{log}</pre>}
            <h4>Artifacts</h4>
            <ArtifactList canary={canary} runId={run.Id!} names={[files.report, files.har, files.harHtml, ...files.logs, ...files.images, ...files.other]} />
          </>
        )}
      </AsyncView>
    </section>
  );
}

function StepTable({ report }: { report: Report }) {
  if (report.steps.length === 0) return <p className="muted">No steps{report.failureReason ? `: ${report.failureReason}` : '.'}</p>;
  return (
    <table aria-label="Steps">
      <thead><tr><th>#</th><th>Step</th><th>Status</th><th>Duration</th><th>Failure reason</th><th>Screenshots</th></tr></thead>
      <tbody>{report.steps.map((s, i) => (
        <tr key={i}>
          <td>{i + 1}</td>
          <td>{s.name}</td>
          <td><StateBadge state={s.status} /></td>
          <td>{s.start !== undefined && s.end !== undefined ? formatDuration(s.end - s.start) : '—'}</td>
          <td className="msg">{s.failureReason ?? ''}</td>
          <td className="msg">{s.screenshots.join(', ')}</td>
        </tr>
      ))}</tbody>
    </table>
  );
}

/** Saves an artifact through a blob URL (a plain link could not be signed). */
function ArtifactList({ canary, runId, names }: { canary: string; runId: string; names: (string | undefined)[] }) {
  const c = useSession();
  const [error, setError] = useState<unknown>();
  const download = async (file: string) => {
    const url = URL.createObjectURL(await artifactBlob(c.config, canary, runId, file));
    const a = Object.assign(document.createElement('a'), { href: url, download: file.split('/').pop() });
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };
  const act = buttonAction(setError, () => undefined);
  return (
    <>
      <ErrorBox error={error} />
      <ul className="children" aria-label="Artifacts">
        {names.filter((n): n is string => !!n).map((n) => (
          <li key={n}><button type="button" onClick={act(() => download(n))}>{n}</button></li>
        ))}
      </ul>
    </>
  );
}
